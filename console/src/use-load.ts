import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** The state of one load: loading, its data, or its error. */
export interface Load<T> {
  loading: boolean;
  data?: T;
  error?: unknown;
  /** Loads again, keeping the shown data until the new answer arrives. */
  reload(): void;
}

/** Runs `load` when `deps` change (and on reload); an answer to an outdated run is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Load<T> {
  const [state, setState] = useState<{ loading: boolean; data?: T; error?: unknown }>({ loading: true });
  const [round, setRound] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    const current = ++run.current;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    load().then(
      (data) => {
        if (current === run.current) setState({ loading: false, data });
      },
      (error: unknown) => {
        if (current === run.current) setState((previous) => ({ ...previous, loading: false, error }));
      },
    );
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** Calls `tick` every `ms` while the page is visible; stops when the component goes away. */
export function useInterval(tick: () => void, ms: number): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") latest.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/** One action at a time (a button's call): whether it runs, and its error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
