import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { type BenchInventory, benchCaller, createBenchInventory } from "./bench-inventory.js";
import type { BenchOptions } from "./bench-options.js";
import type { ChildGroup } from "./child-group.js";

/** What every phase of a run shares: options, processes, the temporary directory and the credential. */
export interface BenchContext {
  options: BenchOptions;
  group: ChildGroup;
  inventory: BenchInventory;
  nowSec: number;
  /** Unique per run; prefixes idempotency tokens and user ids. */
  runTag: string;
  tmpDir: string;
  credentialsFile: string;
  authorization: string;
  /** Where server CPU profiles go, when `--cpu-prof` is on. */
  profileDir?: string;
  /** Progress, on stderr, so stdout carries only the report. */
  log(line: string): void;
  /** Removes the temporary directory and its databases. */
  dispose(): void;
}

/** Creates the temporary directory and a fresh random credential for one run. */
export function createBenchContext(options: BenchOptions, group: ChildGroup, startedAt: string): BenchContext {
  const nowSec = Math.floor(Date.now() / 1000);
  const tmpDir = mkdtempSync(join(os.tmpdir(), "booking-bench-"));
  const credential = `${benchCaller}:${randomBytes(12).toString("hex")}`;
  const credentialsFile = join(tmpDir, "credentials");
  writeFileSync(credentialsFile, `${credential}\n`, { mode: 0o600 });
  return {
    options,
    group,
    inventory: createBenchInventory(options.merchants, options.slotsPerMerchant, nowSec),
    nowSec,
    runTag: `r${Date.now().toString(36)}`,
    tmpDir,
    credentialsFile,
    authorization: `Basic ${Buffer.from(credential).toString("base64")}`,
    ...(options.cpuProfile ? { profileDir: join(options.outDir, "profiles", startedAt.replace(/[:.]/g, "-")) } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
    dispose: () => rmSync(tmpDir, { recursive: true, force: true }),
  };
}
