import { describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { calendarTestNowSec, makeEvent, type SyncHarness } from "./calendar-fixtures.js";
import { googleErrors } from "./google-error-bodies.js";
import { useSyncHarnessSuite } from "./sync-harness-suite.js";

let calendarCounter = 0;
describe.each(testBackends)("Calendar API errors (%s)", (backend) => {
  const suite = useSyncHarnessSuite(backend);
  const open = suite.open;

  /** A calendar in the fake with one busy event, linked in the harness. */
  const linkedCalendar = async (harness: SyncHarness) => {
    calendarCounter += 1;
    const calendarId = `cal${calendarCounter}@example.com`;
    suite.fake().addCalendar(calendarId, "UTC");
    suite.fake().putEvent(calendarId, makeEvent("2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z"));
    return { calendarId, linkId: await harness.link(calendarId) };
  };

  const stateOf = async (harness: SyncHarness, linkId: number) =>
    (await harness.store.linkStatuses()).find((s) => s.linkId === linkId);

  it("410 fullSyncRequired drops the sync token and resyncs in full", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    await harness.syncOne(linkId);
    suite.fake().expireSyncTokens(calendarId);
    suite.fake().putEvent(calendarId, makeEvent("2030-03-06T10:00:00Z", "2030-03-06T11:00:00Z"));
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "synced", mode: "full", applied: { busyIntervals: 2 } });
    const calls = suite.fake().callsTo(calendarId);
    expect(calls.at(-2)).toMatchObject({ status: 410, params: { syncToken: expect.any(String) } });
    expect(calls.at(-1)?.params.syncToken).toBeUndefined();
    expect(calls.at(-1)?.params.timeMin).toBeDefined();
    expect((await stateOf(harness, linkId))?.state.lastError).toBeUndefined();
  });

  it("410 updatedMinTooLongAgo is handled like fullSyncRequired", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    await harness.syncOne(linkId);
    suite.fake().fail(calendarId, googleErrors.updatedMinTooLongAgo());
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "synced", mode: "full" });
  });

  it.each([
    ["403 rateLimitExceeded", googleErrors.rateLimitExceeded],
    ["403 userRateLimitExceeded", googleErrors.userRateLimitExceeded],
    ["429", googleErrors.tooManyRequests],
    ["500 backendError", googleErrors.backendError],
    ["503", googleErrors.serviceUnavailable],
  ])("%s is retried with growing jittered delays until the call succeeds", async (_name, error) => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, error(), error(), error());
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "synced", applied: { busyIntervals: 1 } });
    // random() = 0.5: half of 1 s, 2 s, 4 s.
    expect(harness.sleeps).toEqual([500, 1000, 2000]);
    expect(
      suite
        .fake()
        .callsTo(calendarId)
        .map((call) => call.status),
    ).toEqual([error().status, error().status, error().status, 200]);
  });

  it("caps the retry delays and gives up after the retry budget, deferring the link", async () => {
    const harness = await open({
      retry: { initialDelayMs: 1000, maxDelayMs: 4000, maxRetries: 5, random: () => 0.999 },
    });
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, ...Array.from({ length: 6 }, googleErrors.rateLimitExceeded));
    const [report] = await harness.syncOne(linkId);
    expect(harness.sleeps).toEqual([999, 1998, 3996, 3996, 3996]);
    expect(suite.fake().callsTo(calendarId)).toHaveLength(6);
    expect(report).toMatchObject({ outcome: "failed", failure: { kind: "rateLimited", reason: "rateLimitExceeded" } });
    const status = await stateOf(harness, linkId);
    expect(status?.state).toMatchObject({
      consecutiveFailures: 1,
      lastError: { reason: "rateLimitExceeded", message: "Rate Limit Exceeded" },
    });
    expect(status?.state.nextAttemptSec).toBeGreaterThan(calendarTestNowSec);
  });

  it("defers a failing link longer after each failed sync, up to a cap", async () => {
    const harness = await open({ retry: { maxRetries: 0 } });
    const { calendarId, linkId } = await linkedCalendar(harness);
    const delays: number[] = [];
    for (let run = 0; run < 8; run++) {
      suite.fake().fail(calendarId, googleErrors.serviceUnavailable());
      await harness.syncOne(linkId);
      delays.push(((await stateOf(harness, linkId))?.state.nextAttemptSec ?? 0) - harness.now.sec);
    }
    // Half (random 0.5) of 60 s doubling per failure, capped at an hour.
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1800, 1800]);
    expect((await stateOf(harness, linkId))?.state.consecutiveFailures).toBe(8);
    suite.fake().putEvent(calendarId, makeEvent("2030-03-07T10:00:00Z", "2030-03-07T11:00:00Z"));
    const [report] = await harness.syncOne(linkId);
    expect(report?.outcome).toBe("synced");
    expect((await stateOf(harness, linkId))?.state).toMatchObject({
      consecutiveFailures: 0,
      nextAttemptSec: harness.now.sec + 300,
    });
  });

  it("waits at least as long as Retry-After, and defers the link when Retry-After exceeds the cap", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, { ...googleErrors.tooManyRequests(), retryAfter: "7" });
    expect((await harness.syncOne(linkId))[0]?.outcome).toBe("synced");
    expect(harness.sleeps).toEqual([7000]);

    suite.fake().fail(calendarId, { ...googleErrors.tooManyRequests(), retryAfter: "120" });
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "failed", failure: { retryAfterSec: 120 } });
    expect(harness.sleeps).toEqual([7000]);
    expect((await stateOf(harness, linkId))?.state.nextAttemptSec).toBeGreaterThanOrEqual(harness.now.sec + 120);
  });

  it("403 quotaExceeded is not retried and backs the link off for hours", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, googleErrors.quotaExceeded());
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "failed", failure: { kind: "quotaExceeded" } });
    expect(harness.sleeps).toEqual([]);
    expect(suite.fake().callsTo(calendarId)).toHaveLength(1);
    expect((await stateOf(harness, linkId))?.state).toMatchObject({
      nextAttemptSec: harness.now.sec + 4 * 3600,
      lastError: { reason: "quotaExceeded", message: "Calendar usage limits exceeded." },
      needsReauth: false,
    });
  });

  it("401 refreshes the access token once and carries on", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    await harness.syncOne(linkId);
    const grantsBefore = suite.fake().token.grantsLog.length;
    suite.fake().token.expireAccessTokens();
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "synced", mode: "incremental" });
    expect(suite.fake().token.grantsLog.slice(grantsBefore)).toEqual(["refresh_token"]);
    expect(
      suite
        .fake()
        .callsTo(calendarId)
        .slice(-2)
        .map((call) => call.status),
    ).toEqual([401, 200]);
  });

  it("401 again after the refresh marks the link as needing re-authorisation and stops scheduling it", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, googleErrors.authError(), googleErrors.authError());
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "failed", failure: { kind: "unauthorized", reason: "authError" } });
    expect(suite.fake().callsTo(calendarId)).toHaveLength(2);
    expect((await stateOf(harness, linkId))?.state).toMatchObject({ needsReauth: true, nextAttemptSec: null });
    const due = await harness.store.claimDueLinks(harness.now.sec + 10 * 86_400, 60, 100);
    expect(due.map((l) => l.linkId)).not.toContain(linkId);
  });

  it("a refresh token the token endpoint refuses (invalid_grant) marks the link as needing re-authorisation", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    await harness.syncOne(linkId);
    const credentials = (await harness.store.linkForSync(linkId))?.credentials;
    if (credentials?.kind !== "oauth") throw new Error("expected OAuth credentials");
    suite.fake().token.revokeRefreshToken(credentials.refreshToken);
    suite.fake().token.expireAccessTokens();
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "failed", failure: { kind: "tokenRejected", reason: "invalid_grant" } });
    expect((await stateOf(harness, linkId))?.state).toMatchObject({ needsReauth: true, nextAttemptSec: null });
    expect(suite.fake().callsTo(calendarId).at(-1)?.status).toBe(401);
  });

  it("404 marks the calendar as gone and keeps its last busy intervals", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    await harness.syncOne(linkId);
    suite.fake().removeCalendar(calendarId);
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "failed", failure: { kind: "notFound" } });
    expect(await stateOf(harness, linkId)).toMatchObject({
      busyIntervals: 1,
      state: { gone: true, nextAttemptSec: null },
    });
    expect(harness.sleeps).toEqual([]);
  });

  it("400 is recorded and not retried", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, googleErrors.badRequest());
    const [report] = await harness.syncOne(linkId);
    expect(report).toMatchObject({ outcome: "failed", failure: { kind: "badRequest", status: 400 } });
    expect(suite.fake().callsTo(calendarId)).toHaveLength(1);
    expect((await stateOf(harness, linkId))?.state).toMatchObject({
      lastError: { reason: "badRequest", message: "Bad Request" },
      nextAttemptSec: null,
      needsReauth: false,
      gone: false,
    });
  });

  it("re-linking with new credentials clears needs-re-authorisation and schedules a sync", async () => {
    const harness = await open();
    const { calendarId, linkId } = await linkedCalendar(harness);
    suite.fake().fail(calendarId, googleErrors.authError(), googleErrors.authError());
    await harness.syncOne(linkId);
    expect(await harness.link(calendarId)).toBe(linkId);
    expect((await stateOf(harness, linkId))?.state).toMatchObject({
      needsReauth: false,
      nextAttemptSec: harness.now.sec,
    });
    expect((await harness.syncer.syncDue())[0]).toMatchObject({ linkId, outcome: "synced" });
  });
});
