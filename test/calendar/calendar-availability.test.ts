import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import type { BusyResource } from "../../src/calendar/calendar-link.js";
import { blocksCommand } from "../../src/cli/blocks-command.js";
import { calendarCommand } from "../../src/cli/calendar-command.js";
import { runCommand } from "../support/run-command.js";
import { testBackends } from "../support/test-database.js";
import { type AvailabilityFixture, openAvailabilityFixture, type TestSlot } from "./availability-fixture.js";
import { at, makeAllDayEvent, makeEvent, oauthCredentials } from "./calendar-fixtures.js";
import { type FakeGoogleCalendar, startFakeGoogleCalendar } from "./fake-google-calendar.js";

describe.each(testBackends)("calendars and blocks (%s)", (backend) => {
  let fake: FakeGoogleCalendar;
  let fixture: AvailabilityFixture;
  const owner = "owner@example.com";
  const staffCalendar = "stylist@example.com";

  /** A one-hour slot at a local New York time written with its offset. */
  const hour = (iso: string, staffId?: string): TestSlot => ({
    startSec: at(iso),
    durationSec: 3600,
    ...(staffId ? { staffId } : {}),
  });
  const halfHour = (iso: string): TestSlot => ({ startSec: at(iso), durationSec: 1800 });

  const link = async (calendarId: string, resource: Partial<BusyResource> = {}) =>
    (
      await fixture.store.saveLink(
        {
          merchantId: "m1",
          resourceKind: "merchant",
          resourceId: "",
          ...resource,
          calendarId,
          credentials: parseCalendarCredentials(JSON.stringify(oauthCredentials(fake))),
        },
        0,
      )
    ).link.linkId;

  const expectBookable = async (slot: TestSlot) => {
    expect(await fixture.isAvailable(slot)).toBe(true);
    expect(await fixture.book(slot)).toEqual({ bookingId: expect.any(String) });
  };

  const expectBlocked = async (slot: TestSlot) => {
    expect(await fixture.isAvailable(slot)).toBe(false);
    expect(await fixture.book(slot)).toEqual({ cause: "SLOT_UNAVAILABLE" });
  };

  const calendar = async (argv: string[]) => {
    const { code, stdout } = await runCommand(calendarCommand, [...argv, "--db", fixture.url], systemClock);
    return { code, stdout };
  };

  const syncAll = async () => {
    const reports = await fixture.syncAll();
    expect(reports.map((report) => report.outcome)).toEqual(reports.map(() => "synced"));
  };

  beforeAll(async () => {
    fake = await startFakeGoogleCalendar();
    fixture = await openAvailabilityFixture(fake, backend);
    fake.addCalendar(owner, "America/New_York");
    fake.addCalendar(staffCalendar, "America/New_York");
    await link(owner);
    await link(staffCalendar, { resourceKind: "staff", resourceId: "st1" });
  });

  afterAll(async () => {
    await fixture.close();
    await fake.close();
  });

  describe("calendar busy time and BatchAvailabilityLookup / CreateBooking", () => {
    it("a busy event removes the slot it overlaps and no other", async () => {
      await fixture.addSlots([hour("2030-03-05T09:00:00-05:00"), hour("2030-03-05T10:00:00-05:00")]);
      fake.putEvent(owner, makeEvent("2030-03-05T09:15:00-05:00", "2030-03-05T09:45:00-05:00"));
      await syncAll();
      await expectBlocked(hour("2030-03-05T09:00:00-05:00"));
      await expectBookable(hour("2030-03-05T10:00:00-05:00"));
    });

    it("transparent, declined and cancelled events leave the slot available; tentative ones take it", async () => {
      const [transparent, declined, cancelled, tentative] = [11, 12, 13, 14].map((h) =>
        hour(`2030-03-05T${h}:00:00-05:00`),
      );
      await fixture.addSlots([transparent, declined, cancelled, tentative].flatMap((slot) => (slot ? [slot] : [])));
      fake.putEvent(
        owner,
        makeEvent("2030-03-05T11:00:00-05:00", "2030-03-05T12:00:00-05:00", { transparency: "transparent" }),
      );
      fake.putEvent(
        owner,
        makeEvent("2030-03-05T12:00:00-05:00", "2030-03-05T13:00:00-05:00", {
          attendees: [
            { email: owner, self: true, responseStatus: "declined" },
            { email: "client@example.com", responseStatus: "accepted" },
          ],
        }),
      );
      const meeting = makeEvent("2030-03-05T13:00:00-05:00", "2030-03-05T14:00:00-05:00", { id: "meeting" });
      fake.putEvent(owner, meeting);
      fake.putEvent(
        owner,
        makeEvent("2030-03-05T14:00:00-05:00", "2030-03-05T15:00:00-05:00", { status: "tentative" }),
      );
      await syncAll();
      expect(await fixture.isAvailable(cancelled as TestSlot)).toBe(false);
      fake.putEvent(owner, { ...meeting, status: "cancelled" });
      await syncAll();
      await expectBookable(transparent as TestSlot);
      await expectBookable(declined as TestSlot);
      await expectBookable(cancelled as TestSlot);
      await expectBlocked(tentative as TestSlot);
    });

    it("an incremental sync that sees an event deleted frees its slot again", async () => {
      const slot = hour("2030-03-05T16:00:00-05:00");
      await fixture.addSlots([slot]);
      fake.putEvent(owner, makeEvent("2030-03-05T16:00:00-05:00", "2030-03-05T17:00:00-05:00", { id: "to-delete" }));
      await syncAll();
      await expectBlocked(slot);
      fake.deleteEvent(owner, "to-delete");
      const reports = await fixture.syncAll();
      expect(reports).toEqual(
        expect.arrayContaining([expect.objectContaining({ outcome: "synced", mode: "incremental" })]),
      );
      await expectBookable(slot);
    });

    it("an all-day event blocks the whole local day in the calendar's zone, not the UTC day", async () => {
      const lateBefore = halfHour("2030-03-06T23:00:00-05:00");
      const morning = hour("2030-03-07T09:00:00-05:00");
      const lateSameDay = halfHour("2030-03-07T23:00:00-05:00");
      const nextMorning = hour("2030-03-08T09:00:00-05:00");
      await fixture.addSlots([lateBefore, morning, lateSameDay, nextMorning]);
      fake.putEvent(owner, makeAllDayEvent("2030-03-07", "2030-03-08"));
      await syncAll();
      await expectBookable(lateBefore);
      await expectBlocked(morning);
      await expectBlocked(lateSameDay);
      await expectBookable(nextMorning);
    });

    it("all-day events on DST days block 23 and 25 hours: the last half hour of each day is blocked, the next day is not", async () => {
      const springLast = halfHour("2030-03-10T23:30:00-04:00");
      const springNext = halfHour("2030-03-11T00:00:00-04:00");
      const fallLast = halfHour("2030-11-03T23:30:00-05:00");
      const fallNext = halfHour("2030-11-04T00:00:00-05:00");
      await fixture.addSlots([springLast, springNext, fallLast, fallNext]);
      fake.putEvent(owner, makeAllDayEvent("2030-03-10", "2030-03-11"));
      fake.putEvent(owner, makeAllDayEvent("2030-11-03", "2030-11-04"));
      await syncAll();
      await expectBlocked(springLast);
      await expectBookable(springNext);
      await expectBlocked(fallLast);
      await expectBookable(fallNext);
    });

    it("a staff member's calendar blocks that staff member's slots only", async () => {
      const stylist = hour("2030-03-12T10:00:00-04:00", "st1");
      const colleague = hour("2030-03-12T10:00:00-04:00", "st2");
      await fixture.addSlots([stylist, colleague]);
      fake.putEvent(staffCalendar, makeEvent("2030-03-12T10:00:00-04:00", "2030-03-12T11:00:00-04:00"));
      await syncAll();
      await expectBlocked(stylist);
      await expectBookable(colleague);
    });

    it("busy time over an existing booking keeps the booking and records a conflict", async () => {
      const slot = hour("2030-03-13T10:00:00-04:00");
      await fixture.addSlots([slot]);
      const { bookingId } = await fixture.book(slot);
      fake.putEvent(
        owner,
        makeEvent("2030-03-13T10:30:00-04:00", "2030-03-13T12:00:00-04:00", { id: "double-booked" }),
      );
      const reports = await fixture.syncAll();
      const conflicts = reports.flatMap((r) => (r.outcome === "synced" ? r.applied.newConflicts : []));
      expect(conflicts).toEqual([
        expect.objectContaining({ bookingId, bookingStatus: "CONFIRMED", source: "calendar" }),
      ]);
      expect((await fixture.store.conflicts({ merchantId: "m1" })).map((c) => c.bookingId)).toContain(bookingId);
      expect((await fixture.server.ports?.engine.getBooking(bookingId as string))?.status).toBe("CONFIRMED");
      expect((await fixture.store.linkStatuses()).find((s) => s.calendarId === owner)?.openConflicts).toBe(1);
      const shown = await calendar(["conflicts", "--merchant", "m1"]);
      expect(shown.stdout).toContain(
        `booking ${bookingId} (CONFIRMED) service s1 2030-03-13T14:00:00Z..2030-03-13T15:00:00Z`,
      );
      expect((await calendar(["status"])).stdout).toMatch(/calendar owner@example\.com[\s\S]*?open conflicts:\s+1/);

      fake.deleteEvent(owner, "double-booked");
      await syncAll();
      expect((await fixture.store.conflicts({ merchantId: "m1" })).map((c) => c.bookingId)).not.toContain(bookingId);
    });
  });

  describe("manual blocks and availability", () => {
    const run = (argv: string[]) => runCommand(blocksCommand, [...argv, "--db", fixture.url], systemClock);

    it("blocks add removes the slot at once and blocks remove gives it back", async () => {
      const slot = hour("2030-03-14T10:00:00-04:00");
      await fixture.addSlots([slot]);
      expect(await fixture.isAvailable(slot)).toBe(true);
      const added = await run([
        "add",
        "--merchant",
        "m1",
        "--start",
        "2030-03-14T09:30:00-04:00",
        "--end",
        "2030-03-14T10:15:00-04:00",
        "--note",
        "boiler repair",
      ]);
      expect(added.code).toBe(0);
      const blockId = /added block (\S+)/.exec(added.stdout)?.[1];
      await expectBlocked(slot);
      expect((await run(["list", "--merchant", "m1"])).stdout).toContain('"boiler repair"');
      expect((await run(["remove", blockId as string])).code).toBe(0);
      await expectBookable(slot);
    });

    it("blocks add and remove are audited as the CLI and announce the slot's availability, as AddBlock does", async () => {
      const slot = hour("2030-03-16T10:00:00-04:00");
      await fixture.addSlots([slot]);
      const ports = fixture.server.ports;
      if (!ports) throw new Error("no ports");
      const updates = async () =>
        (await ports.storage.outbox.list({ limit: 1000 })).flatMap((entry) =>
          entry.payload.kind === "availability" && entry.payload.slot.startSec === slot.startSec
            ? [entry.payload.slot.spotsOpen]
            : [],
        );
      const before = (await updates()).length;
      const added = await run([
        "add",
        "--merchant",
        "m1",
        "--start",
        "2030-03-16T10:00:00-04:00",
        "--end",
        "2030-03-16T11:00:00-04:00",
        "--note",
        "inventory",
      ]);
      const blockId = /added block (\S+)/.exec(added.stdout)?.[1];
      expect((await updates()).slice(before)).toEqual([0]);
      expect((await run(["remove", blockId as string])).code).toBe(0);
      expect((await updates()).slice(before)).toEqual([0, 1]);
      expect(await run(["remove", blockId as string])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining("no block"),
      });

      const audit = (await ports.storage.audit.list({ merchantId: "m1", limit: 100 })).filter(
        (e) => e.action.startsWith("block.") && e.reason === "inventory",
      );
      expect(audit.map((e) => [e.action, e.actor.kind, e.reason])).toEqual([
        ["block.added", "cli", "inventory"],
        ["block.removed", "cli", "inventory"],
      ]);
      expect(audit[0]?.actor.id).not.toBe("");
      expect(audit[0]?.after).toMatchObject({ blockId, merchantId: "m1" });
    });

    it("a staff block leaves other staff bookable, and a room block leaves slots without that room", async () => {
      const stylist = hour("2030-03-15T10:00:00-04:00", "st1");
      const colleague = hour("2030-03-15T10:00:00-04:00", "st2");
      await fixture.addSlots([stylist, colleague]);
      expect(
        (
          await run([
            "add",
            "--merchant",
            "m1",
            "--staff",
            "st1",
            "--start",
            "2030-03-15T00:00:00-04:00",
            "--end",
            "2030-03-16T00:00:00-04:00",
          ])
        ).code,
      ).toBe(0);
      expect(
        (
          await run([
            "add",
            "--merchant",
            "m1",
            "--room",
            "r9",
            "--start",
            "2030-03-15T00:00:00-04:00",
            "--end",
            "2030-03-16T00:00:00-04:00",
          ])
        ).code,
      ).toBe(0);
      await expectBlocked(stylist);
      await expectBookable(colleague);
    });

    it("a block over a booking warns about the conflict and keeps the booking", async () => {
      const slot = hour("2030-03-18T10:00:00-04:00");
      await fixture.addSlots([slot]);
      const { bookingId } = await fixture.book(slot);
      const added = await run([
        "add",
        "--merchant",
        "m1",
        "--start",
        "2030-03-18T10:00:00-04:00",
        "--end",
        "2030-03-18T11:00:00-04:00",
      ]);
      expect(added.code).toBe(0);
      expect(added.stderr).toContain(`booking ${bookingId}`);
      expect((await fixture.server.ports?.engine.getBooking(bookingId as string))?.status).toBe("CONFIRMED");
    });
  });
});
