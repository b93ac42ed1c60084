import { describe, expect, it } from "vitest";
import { createServingState } from "../../src/server/serving-state.js";

describe("serving state", () => {
  it("is serving when the probe says so, sync or async, and not when it throws or hangs", async () => {
    expect(await createServingState().serving()).toBe(true);
    expect(await createServingState({ ready: () => true }).serving()).toBe(true);
    expect(await createServingState({ ready: async () => false }).serving()).toBe(false);
    const throwing = createServingState({
      ready: () => {
        throw new Error("database gone");
      },
    });
    expect(await throwing.serving()).toBe(false);
    const hung = createServingState({ ready: () => new Promise<boolean>(() => {}), probeTimeoutMs: 50 });
    expect(await hung.serving()).toBe(false);
  });

  it("stops serving for good once draining, and tells watchers at once", async () => {
    const state = createServingState({ pollMs: 10 });
    const seen: boolean[] = [];
    const stop = state.watch((serving) => seen.push(serving));
    await new Promise((resolve) => setTimeout(resolve, 50));
    state.drain();
    expect(seen).toEqual([true, false]);
    expect(state.draining).toBe(true);
    expect(await state.serving()).toBe(false);
    stop();
  });

  it("reports only changes to a watcher", async () => {
    let ready = true;
    const state = createServingState({ ready: () => ready, pollMs: 10 });
    const seen: boolean[] = [];
    const stop = state.watch((serving) => seen.push(serving));
    await new Promise((resolve) => setTimeout(resolve, 60));
    ready = false;
    await new Promise((resolve) => setTimeout(resolve, 60));
    ready = true;
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    expect(seen).toEqual([true, false, true]);
  });
});
