import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCase, createRunBudget, type OutcomeTally } from "./fuzz-run.js";
import { type FuzzTarget, startFuzzTarget, type TableState } from "./fuzz-target.js";
import { http1HeaderEdit } from "./header-generators.js";
import { healthOnEveryProtocol } from "./health-on-every-protocol.js";
import {
  deadlineCase,
  hostEdits,
  http1TruncationEdits,
  requestLineEdits,
  transportCase,
} from "./transport-generators.js";
import type { Edit, TransportCase } from "./transport-request.js";

// Bounded for a busy 2-core machine: properties stop generating (and shrinking) when the budget is spent.
const limits = createRunBudget();
const testTimeoutMs = 30_000;

describe("raw HTTP/1.1 requests with garbage in the request line and headers, on every protocol", () => {
  let target: FuzzTarget;
  let initial: TableState;
  beforeAll(async () => {
    target = await startFuzzTarget();
    initial = target.tableState();
  });
  afterAll(async () => {
    await target?.close();
  });

  const property = (edits: fc.Arbitrary<Edit[]>, numRuns: number, tally: OutcomeTally) =>
    fc.assert(
      fc.asyncProperty(transportCase(edits), (c: TransportCase) => checkCase(target, c, "http1", initial, tally)),
      { numRuns, ...limits() },
    );

  it(
    "answers or closes cleanly whatever the Host field holds (garbage, empty, long, unicode, several, none)",
    async () => {
      const tally: OutcomeTally = {};
      await property(hostEdits, 100, tally);
      expect(Object.keys(tally).some((k) => k.startsWith("response"))).toBe(true);
    },
    testTimeoutMs,
  );

  it(
    "answers or closes cleanly with huge, duplicated and malformed header fields",
    async () => {
      const tally: OutcomeTally = {};
      await property(fc.array(http1HeaderEdit, { minLength: 1, maxLength: 4 }), 150, tally);
      expect(tally["response 200"]).toBeGreaterThan(0);
    },
    testTimeoutMs,
  );

  it(
    "honours or refuses every grpc-timeout and connect-timeout-ms, never cutting a long one to 1 ms",
    async () => {
      await fc.assert(
        fc.asyncProperty(deadlineCase, (c) => checkCase(target, c, "http1", initial)),
        { numRuns: 60, ...limits() },
      );
    },
    testTimeoutMs,
  );

  it(
    "answers or closes cleanly with odd methods, targets and HTTP versions",
    async () => {
      await property(requestLineEdits, 120, {});
    },
    testTimeoutMs,
  );

  it(
    "answers or closes cleanly when the body ends early (short of content-length, unfinished or lying chunks)",
    async () => {
      await property(http1TruncationEdits, 60, {});
    },
    testTimeoutMs,
  );

  it("still serves HealthCheck on every protocol and changed no booking table", async () => {
    expect(await healthOnEveryProtocol(target)).toEqual([]);
    expect(target.tableState()).toEqual(initial);
    expect(target.crashes()).toEqual([]);
  });
});
