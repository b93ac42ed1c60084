import { fileURLToPath } from "node:url";
import { type ChildGroup, exitOf } from "./child-group.js";

/** A server child that announced `listening on <url>` on stdout. */
export interface ListeningChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry of bench/ (through tsx) and waits for its `listening on <url>` line. */
export async function startListeningChild(group: ChildGroup, entry: string, args: string[]): Promise<ListeningChild> {
  const script = fileURLToPath(new URL(entry, import.meta.url));
  const child = group.spawnNode(["--import", "tsx"], script, args);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      out += text;
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}\n${stderr}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exitOf(child);
    },
  };
}
