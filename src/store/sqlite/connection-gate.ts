import { translateStoreError } from "./store-error.js";

/** Serializes asynchronous work on one SQLite connection. */
export interface ConnectionGate {
  /** Runs `fn` once no other work holds the connection; nothing else uses it until `fn` settles. */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T>;
}

/**
 * One connection serves every port, and a transaction on it spans the awaits inside a port call. Without
 * the gate, a read or a calendar write started between two of those awaits would run inside another
 * call's open transaction (and roll back with it). Work that awaits only the store's already-resolved
 * promises holds the gate for microtasks only.
 */
export function createConnectionGate(): ConnectionGate {
  let held = false;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else held = false;
  };
  return {
    async exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
      // The releaser hands the gate straight to the next waiter, so `held` stays true in between.
      if (held) await new Promise<void>((resolve) => waiting.push(resolve));
      else held = true;
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}

/**
 * Makes synchronous table calls into port methods on `gate`: each call runs holding the gate, and SQLite's
 * errors come out as the domain's store errors.
 */
export function gatedCalls(gate: ConnectionGate) {
  return <A extends unknown[], R>(fn: (...args: A) => R) =>
    async (...args: A): Promise<R> => {
      try {
        return await gate.exclusive(() => fn(...args));
      } catch (error) {
        throw translateStoreError(error);
      }
    };
}
