import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import { testBackends } from "../support/test-database.js";
import { makeEvent } from "./calendar-fixtures.js";
import { googleErrors } from "./google-error-bodies.js";
import { useSyncHarnessSuite } from "./sync-harness-suite.js";

let counter = 0;
describe.each(testBackends)("calendar syncer (%s)", (backend) => {
  const suite = useSyncHarnessSuite(backend);
  const open = suite.open;

  const newCalendar = () => {
    counter += 1;
    const calendarId = `syncer${counter}@example.com`;
    suite.fake().addCalendar(calendarId);
    suite.fake().putEvent(calendarId, makeEvent("2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z"));
    return calendarId;
  };

  it("syncs every healthy link even when other merchants' calendars fail", async () => {
    const harness = await open({ retry: { maxRetries: 2 } });
    const failing = newCalendar();
    const gone = newCalendar();
    const healthy = newCalendar();
    const failingLink = await harness.link(failing, { merchantId: "m-failing" });
    const goneLink = await harness.link(gone, { merchantId: "m-gone" });
    const healthyLink = await harness.link(healthy, { merchantId: "m-healthy" });
    suite.fake().fail(failing, ...Array.from({ length: 10 }, googleErrors.serviceUnavailable));
    suite.fake().removeCalendar(gone);
    const reports = await harness.syncer.syncDue();
    const byLink = new Map(reports.map((report) => [report.linkId, report]));
    expect(byLink.get(healthyLink)).toMatchObject({ outcome: "synced", applied: { busyIntervals: 1 } });
    expect(byLink.get(failingLink)).toMatchObject({ outcome: "failed", failure: { kind: "serverError" } });
    expect(byLink.get(goneLink)).toMatchObject({ outcome: "failed", failure: { kind: "notFound" } });
  });

  it("ends a hanging calendar's sync at the link time limit while the next link still syncs", async () => {
    const harness = await open({ linkTimeoutMs: 300, concurrency: 1 });
    const hanging = newCalendar();
    const healthy = newCalendar();
    const hangingLink = await harness.link(hanging);
    const healthyLink = await harness.link(healthy);
    suite.fake().fail(hanging, { ...googleErrors.backendError(), delayMs: 60_000 });
    const reports = await harness.syncer.syncDue();
    expect(reports.find((r) => r.linkId === hangingLink)).toMatchObject({
      outcome: "failed",
      failure: { kind: "timeout" },
    });
    expect(reports.find((r) => r.linkId === healthyLink)).toMatchObject({ outcome: "synced" });
    const status = (await harness.store.linkStatuses()).find((s) => s.linkId === hangingLink);
    expect(status?.state).toMatchObject({ lastError: { reason: "timeout" }, consecutiveFailures: 1 });
    expect(status?.state.nextAttemptSec).toBeGreaterThan(harness.now.sec);
  });

  it("syncs a link again only once its next attempt is due", async () => {
    const harness = await open();
    const linkId = await harness.link(newCalendar());
    expect((await harness.syncer.syncDue()).map((r) => r.linkId)).toEqual([linkId]);
    harness.now.sec += 299;
    expect(await harness.syncer.syncDue()).toEqual([]);
    harness.now.sec += 1;
    expect(await harness.syncer.syncDue()).toMatchObject([{ linkId, outcome: "synced", mode: "incremental" }]);
  });

  it("syncs in full again once a day so the window moves forward", async () => {
    const harness = await open();
    const calendarId = newCalendar();
    const linkId = await harness.link(calendarId);
    await harness.syncOne(linkId);
    harness.now.sec += 86_400;
    expect(await harness.syncOne(linkId)).toMatchObject([{ outcome: "synced", mode: "full" }]);
    expect(suite.fake().callsTo(calendarId).at(-1)?.params.timeMin).toBe(
      new Date((harness.now.sec - 86_400) * 1000).toISOString(),
    );
  });

  it("authenticates with a service account key through the JWT-bearer grant", async () => {
    const harness = await open();
    const calendarId = newCalendar();
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const clientEmail = "booking-sync@project.iam.gserviceaccount.com";
    suite.fake().token.addServiceAccount(clientEmail, publicKey.export({ type: "spki", format: "pem" }).toString());
    const credentials = parseCalendarCredentials(
      JSON.stringify({
        type: "service_account",
        client_email: clientEmail,
        private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        private_key_id: "key-1",
        token_uri: suite.fake().tokenUrl,
      }),
    );
    const { link } = await harness.store.saveLink(
      { merchantId: "m1", resourceKind: "room", resourceId: "room-1", calendarId, credentials },
      harness.now.sec,
    );
    const grantsBefore = suite.fake().token.grantsLog.length;
    expect(await harness.syncOne(link.linkId)).toMatchObject([{ outcome: "synced", applied: { busyIntervals: 1 } }]);
    expect(suite.fake().token.grantsLog.slice(grantsBefore)).toEqual(["urn:ietf:params:oauth:grant-type:jwt-bearer"]);
    const rows = await harness.sql.rows(
      "SELECT resource_kind, resource_id FROM busy_interval WHERE source = 'calendar' AND source_ref LIKE ?",
      [`${link.linkId}:%`],
    );
    expect(rows[0]).toEqual({ resource_kind: "room", resource_id: "room-1" });
  });

  it("never writes credentials or access tokens to logs or status", async () => {
    const harness = await open();
    const calendarId = newCalendar();
    const linkId = await harness.link(calendarId);
    await harness.syncOne(linkId);
    const credentials = (await harness.store.linkForSync(linkId))?.credentials;
    if (credentials?.kind !== "oauth") throw new Error("expected OAuth credentials");
    suite.fake().token.revokeRefreshToken(credentials.refreshToken);
    suite.fake().token.expireAccessTokens();
    await harness.syncOne(linkId);
    const visible = harness.rawLog() + JSON.stringify(harness.store.linkStatuses());
    expect(visible).toContain("invalid_grant");
    for (const secret of [credentials.refreshToken, credentials.clientSecret, "ya29."]) {
      expect(visible).not.toContain(secret);
    }
  });
});
