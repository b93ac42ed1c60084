/** Tells whether the server can serve calls now (e.g. the database answers); may be async. */
export type ReadyProbe = () => boolean | Promise<boolean>;

/** Options of the serving state. */
export interface ServingStateOptions {
  /** Always ready when absent. */
  ready?: ReadyProbe;
  /** How often watchers' state is re-checked (default 1 s). */
  pollMs?: number;
  /** A probe slower than this counts as not ready (default 2 s): a hung database is not a ready one. */
  probeTimeoutMs?: number;
}

/** Whether the server is serving: ready, and not draining. What readiness probes and gRPC health report. */
export interface ServingState {
  /** True when the probe says ready and the server is not draining; a probe that throws says no. */
  serving(): Promise<boolean>;
  /** True once the server has begun to shut down. */
  readonly draining: boolean;
  /** Marks the server as shutting down: it stops serving for good, and watchers hear it at once. */
  drain(): void;
  /**
   * Calls `listener` with the current state, then with every change (polled while anyone watches),
   * until the returned function is called.
   */
  watch(listener: (serving: boolean) => void): () => void;
}

/** Creates the serving state of one server. */
export function createServingState(options: ServingStateOptions = {}): ServingState {
  const pollMs = options.pollMs ?? 1_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  const listeners = new Map<(serving: boolean) => void, boolean | undefined>();
  let draining = false;
  let timer: NodeJS.Timeout | undefined;

  const probe = async (): Promise<boolean> => {
    if (!options.ready) return true;
    let timeout: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        Promise.resolve(options.ready()),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(false), probeTimeoutMs);
        }),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timeout);
    }
  };
  const serving = async (): Promise<boolean> => !draining && (await probe()) && !draining;
  const notify = (value: boolean): void => {
    for (const [listener, last] of listeners) {
      if (last === value) continue;
      listeners.set(listener, value);
      listener(value);
    }
  };
  let polling = false;
  const poll = (): void => {
    // One probe at a time: a slow database is not asked again before it has answered.
    if (polling) return;
    polling = true;
    void serving()
      .then(notify)
      .finally(() => {
        polling = false;
      });
  };

  return {
    serving,
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
      clearInterval(timer);
      timer = undefined;
      notify(false);
    },
    watch(listener) {
      listeners.set(listener, undefined);
      if (draining) notify(false);
      else poll();
      if (!timer && !draining) {
        timer = setInterval(poll, pollMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
