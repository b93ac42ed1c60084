import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "npm-start-"));
const leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone, as it should be.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The ids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const tasks = join("/proc", String(pid), "task");
  return readFileSync(join(tasks, String(pid), "children"), "utf8")
    .split(" ")
    .filter((id) => id.trim() !== "")
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("npm start", () => {
  it.skipIf(process.platform !== "linux")(
    "stops the node server when npm gets SIGTERM (as a container runtime sends it)",
    async () => {
      const npm = spawn(
        "npm",
        ["start", "--", "--port", "0", "--db", join(dir, "booking.db"), "--log-format", "json"],
        {
          cwd: repoRoot,
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      const npmExited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
      let stderr = "";
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in 30 s: ${stderr}`)), 30_000);
        npm.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      // Every process under npm: its shell, if one stayed, and node.
      const under = (pid: number): number[] => childrenOf(pid).flatMap((child) => [child, ...under(child)]);
      const descendants = under(npm.pid as number);
      leftovers.push(...descendants);
      expect(descendants.length).toBeGreaterThan(0);

      npm.kill("SIGTERM");
      await npmExited;
      const deadline = Date.now() + 10_000;
      while (descendants.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(descendants.filter(alive)).toEqual([]);
      expect(await refused(port)).toBe(true);
    },
    60_000,
  );
});
