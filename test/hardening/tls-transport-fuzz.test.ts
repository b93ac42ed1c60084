import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCase, createRunBudget } from "./fuzz-run.js";
import { type FuzzTarget, startFuzzTarget, type TableState } from "./fuzz-target.js";
import { http1HeaderEdit, http2HeaderEdit } from "./header-generators.js";
import { healthOnEveryProtocol } from "./health-on-every-protocol.js";
import {
  http1TruncationEdits,
  http2TruncationEdits,
  pseudoEdits,
  requestLineEdits,
  transportCase,
} from "./transport-generators.js";

// Bounded for a busy 2-core machine: properties stop generating (and shrinking) when the budget is spent.
const limits = createRunBudget(25_000);
const testTimeoutMs = 30_000;

// Fewer runs than in cleartext: the same request core answers, TLS only changes the socket and ALPN.
describe("garbage requests over TLS (http/1.1 and h2 chosen by ALPN), on every protocol", () => {
  let target: FuzzTarget;
  let initial: TableState;
  beforeAll(async () => {
    target = await startFuzzTarget({ tls: true });
    initial = target.tableState();
  });
  afterAll(async () => {
    await target?.close();
  });

  it(
    "answers or closes cleanly over HTTP/1.1 with garbage in the request line, headers and body framing",
    async () => {
      const edits = fc.oneof(
        requestLineEdits,
        fc.array(http1HeaderEdit, { minLength: 1, maxLength: 3 }),
        http1TruncationEdits,
      );
      await fc.assert(
        fc.asyncProperty(transportCase(edits), (c) => checkCase(target, c, "http1", initial)),
        { numRuns: 50, ...limits() },
      );
    },
    testTimeoutMs,
  );

  it(
    "answers or resets cleanly over h2 with garbage in pseudo-headers, headers and body length",
    async () => {
      const edits = fc.oneof(
        pseudoEdits,
        fc.array(http2HeaderEdit, { minLength: 1, maxLength: 3 }),
        http2TruncationEdits,
      );
      await fc.assert(
        fc.asyncProperty(transportCase(edits), (c) => checkCase(target, c, "http2", initial)),
        { numRuns: 50, ...limits() },
      );
    },
    testTimeoutMs,
  );

  it("still serves HealthCheck on every protocol, changed no booking table, and saw no uncaught exception", async () => {
    expect(await healthOnEveryProtocol(target)).toEqual([]);
    expect(target.tableState()).toEqual(initial);
    expect(target.crashes()).toEqual([]);
  });
});
