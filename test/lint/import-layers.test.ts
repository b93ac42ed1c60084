import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createTempDir } from "../support/temp-dir.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const biome = fileURLToPath(new URL("../../node_modules/@biomejs/biome/bin/biome", import.meta.url));
const rule = "lint/style/noRestrictedImports";

/**
 * Runs the import-layer check with the project's biome.json on a fixture tree in a temp directory
 * laid out like src/, so no test ever writes into the real src/.
 */
async function lintLayers(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const temp = createTempDir("import-layers-");
  try {
    copyFileSync(`${repoRoot}biome.json`, temp.path("biome.json"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(temp.path(path)), { recursive: true });
      writeFileSync(temp.path(path), text);
    }
    const args = ["lint", "--only=style/noRestrictedImports", "--colors=off", "src"];
    try {
      const { stdout, stderr } = await promisify(execFile)(biome, args, { cwd: temp.dir });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof code === "number" ? code : -1, output: `${stdout ?? ""}${stderr ?? ""}` };
    }
  } finally {
    temp.remove();
  }
}

describe("import layers (biome noRestrictedImports)", () => {
  it("refuses a domain file importing the transport, a store, rpc or a driver", async () => {
    const run = await lintLayers({
      "src/booking/wrong.ts": [
        'import { createServer } from "../server/create-server.js";',
        'import { openStorage } from "../store/open-storage.js";',
        'import { createBooking } from "../rpc/create-booking.js";',
        'import Database from "better-sqlite3";',
        'import { ConnectError } from "@connectrpc/connect";',
        "export const used = [createServer, openStorage, createBooking, Database, ConnectError];",
      ].join("\n"),
    });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(rule);
    expect(run.output).toContain("The domain (src/booking, src/payments) imports no transport");
    expect(run.output.split(`src/booking/wrong.ts:`).length - 1).toBe(5);
  });

  it("refuses a store importing rpc, a server importing a store, and conformance importing the domain", async () => {
    const run = await lintLayers({
      "src/store/sqlite/wrong.ts": 'export { createBooking } from "../../rpc/create-booking.js";\n',
      "src/server/wrong.ts": 'export { openStorage } from "../store/open-storage.js";\n',
      "src/conformance/wrong.ts": 'export { BookingError } from "../booking/booking-error.js";\n',
      "src/calendar/wrong.ts": 'export { formatInstant } from "../cli/cli-io.js";\n',
    });
    expect(run.code).not.toBe(0);
    for (const path of [
      "src/store/sqlite/wrong.ts",
      "src/server/wrong.ts",
      "src/conformance/wrong.ts",
      "src/calendar/wrong.ts",
    ]) {
      expect(run.output).toContain(`${path}:1:`);
    }
  });

  it("lets every layer import what the layer map allows", async () => {
    const run = await lintLayers({
      "src/booking/fine.ts": 'export { ledger } from "../payments/ledger.js";\n',
      "src/rpc/fine.ts":
        'export { a } from "../booking/a.js";\nexport { b } from "../contract/b.js";\nexport { c } from "../../gen/c_pb.js";\n',
      "src/store/sqlite/fine.ts":
        'export { a } from "../../booking/a.js";\nexport { default } from "better-sqlite3";\n',
      "src/conformance/fine.ts":
        'export { c } from "../../gen/booking/partner/v3/c_pb.js";\nexport { d } from "./d.js";\n',
      "src/cli/fine.ts": 'export { a } from "../app.js";\nexport { b } from "../store/open-storage.js";\n',
    });
    expect(run.output).not.toContain(rule);
    expect(run.output).toContain("Checked 5 files");
    expect(run.code).toBe(0);
  });

  it("passes on the real src/ tree", async () => {
    const { stdout } = await promisify(execFile)(
      biome,
      ["lint", "--only=style/noRestrictedImports", "--colors=off", "src"],
      {
        cwd: repoRoot,
      },
    );
    expect(stdout).not.toContain(rule);
  });
});
