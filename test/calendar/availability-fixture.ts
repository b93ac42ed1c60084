import type { OfferedSlot } from "../../src/booking/inventory.js";
import type { CalendarStore } from "../../src/calendar/calendar-store.js";
import { type CalendarSyncer, createCalendarSyncer } from "../../src/calendar/calendar-syncer.js";
import { createLogger } from "../../src/logger.js";
import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import { createTestDatabase, type TestBackend } from "../support/test-database.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { calendarTestNowSec } from "./calendar-fixtures.js";
import type { FakeGoogleCalendar } from "./fake-google-calendar.js";

/** A slot as the tests name it: when, how long, and optionally whose. */
export interface TestSlot {
  startSec: number;
  durationSec: number;
  staffId?: string;
}

/**
 * The whole booking server over a database file, plus a calendar store and syncer on a second
 * connection to that file, as `booking-server calendar sync` would use from another process.
 */
export interface AvailabilityFixture {
  server: TestServer;
  /** The `--db` value of the database. */
  url: string;
  store: CalendarStore;
  syncer: CalendarSyncer;
  addSlots(slots: TestSlot[]): Promise<void>;
  /** BatchAvailabilityLookup's verdict on one slot. */
  isAvailable(slot: TestSlot): Promise<boolean>;
  /** CreateBooking on the slot: the booking id, or the failure cause. */
  book(slot: TestSlot): Promise<{ bookingId?: string; cause?: string }>;
  syncAll(): ReturnType<CalendarSyncer["syncLinks"]>;
  close(): Promise<void>;
}

let counter = 0;

/** Starts the server at calendarTestNowSec with merchant m1 / service s1 and a syncer pointed at `fake`. */
export async function openAvailabilityFixture(
  fake: FakeGoogleCalendar,
  backend: TestBackend = "sqlite",
): Promise<AvailabilityFixture> {
  const database = await createTestDatabase(backend);
  const clock = { nowSec: () => calendarTestNowSec };
  const server = await startTestServer({ database: database.url, clock });
  const sync: Storage = await openStorage(database.url);
  const store = sync.calendar;
  const syncer = createCalendarSyncer({
    store,
    clock,
    logger: createLogger({ level: "silent" }),
    rootUrl: fake.rootUrl,
    retry: { sleep: async () => undefined },
  });
  const post = async (method: string, body: object) => {
    const response = await fetch(`${server.url}/v3/${method}`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`${method} answered ${response.status}: ${await response.text()}`);
    // biome-ignore lint/suspicious/noExplicitAny: REST answers are read field by field
    return (await response.json()) as any;
  };
  const resources = (slot: TestSlot) => (slot.staffId ? { staff_id: slot.staffId } : undefined);

  return {
    server,
    url: database.url,
    store,
    syncer,
    async addSlots(slots) {
      const offered: OfferedSlot[] = slots.map((slot) => ({
        merchantId: "m1",
        serviceId: "s1",
        startSec: slot.startSec,
        durationSec: slot.durationSec,
        staffId: slot.staffId ?? "",
        roomId: "",
        partySize: 0,
        spotsTotal: 1,
        spotsOpen: 1,
        confirmationMode: "SYNCHRONOUS",
        availabilityTag: "",
      }));
      await sync.inventory.importInventory({
        complete: false,
        merchants: [],
        services: [],
        ranges: [],
        slots: offered,
        nowSec: clock.nowSec(),
      });
    },
    async isAvailable(slot) {
      const answer = await post("BatchAvailabilityLookup", {
        merchant_id: "m1",
        slot_time: [
          {
            service_id: "s1",
            start_sec: String(slot.startSec),
            duration_sec: String(slot.durationSec),
            ...(resources(slot) ? { resource_ids: resources(slot) } : {}),
          },
        ],
      });
      return answer.slot_time_availability?.[0]?.available === true;
    },
    async book(slot) {
      counter += 1;
      const answer = await post("CreateBooking", {
        slot: {
          merchant_id: "m1",
          service_id: "s1",
          start_sec: String(slot.startSec),
          duration_sec: String(slot.durationSec),
          ...(resources(slot) ? { resources: resources(slot) } : {}),
        },
        user_information: {
          user_id: `calendar-user-${counter}`,
          given_name: "Ada",
          family_name: "Lovelace",
          telephone: "+1 555-0101",
          email: "ada@example.com",
        },
        payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
        idempotency_token: `calendar-token-${counter}`,
      });
      return answer.booking ? { bookingId: answer.booking.booking_id } : { cause: answer.booking_failure?.cause };
    },
    async syncAll() {
      return syncer.syncLinks(await store.allLinksForSync());
    },
    async close() {
      await server.close();
      await sync.close();
      await database.remove();
    },
  };
}
