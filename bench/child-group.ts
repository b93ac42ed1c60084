import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

/** The child processes of one benchmark run; whatever happens, none outlives the run. */
export interface ChildGroup {
  /** Spawns `node [nodeArgs] script [args]`, tracked until it exits. */
  spawnNode(nodeArgs: string[], script: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Kills every child still running (SIGKILL), synchronously. */
  killAll(): void;
  /** Kills the children on exit, on SIGINT / SIGTERM and on an uncaught error of this process. */
  installExitHandlers(): void;
}

// Loaded into every child: if this process dies without cleaning up (SIGKILL), the child is re-parented
// and terminates itself within half a second.
const exitWithParent =
  "data:text/javascript,const p=Number(process.env.BENCH_PARENT_PID);" +
  'setInterval(()=>{if(process.ppid!==p)process.kill(process.pid,"SIGTERM")},500).unref()';

/** Creates an empty group. */
export function createChildGroup(): ChildGroup {
  const live = new Set<ChildProcess>();
  const killAll = (): void => {
    for (const child of live) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    live.clear();
  };
  return {
    spawnNode(nodeArgs, script, args, options = {}) {
      const child = spawn(process.execPath, ["--import", exitWithParent, ...nodeArgs, script, ...args], {
        stdio: ["ignore", "pipe", "pipe"],
        ...options,
        env: { ...process.env, ...options.env, BENCH_PARENT_PID: String(process.pid) },
      });
      live.add(child);
      child.once("exit", () => live.delete(child));
      return child;
    },
    killAll,
    installExitHandlers() {
      process.once("exit", killAll);
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
          process.stderr.write(`\nbench: ${signal}, stopping child processes\n`);
          killAll();
          process.exit(130);
        });
      }
      process.once("uncaughtException", (error) => {
        killAll();
        process.stderr.write(`bench: ${error.stack ?? String(error)}\n`);
        process.exit(1);
      });
    },
  };
}

/** Resolves with the exit code of a child (a signal counts as 1). */
export function exitOf(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(1);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}
