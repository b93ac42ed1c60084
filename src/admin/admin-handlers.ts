import type { AuditLog } from "../booking/audit-log.js";
import type { Clock } from "../booking/clock.js";
import type { MerchantBookings } from "../booking/merchant-bookings.js";
import type { MerchantInventory } from "../booking/merchant-inventory.js";
import type { NotificationOutbox } from "../booking/notification-outbox.js";
import type { NotificationRetry } from "../booking/notification-retry.js";
import type { CalendarStore } from "../calendar/calendar-store.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidField } from "../contract/errors.js";
import { adminBookingToProto } from "./admin-booking-to-proto.js";
import type { AdminServiceImpl } from "./admin-service-impl.js";
import { createBlockHandlers } from "./block-handlers.js";
import { createBookingChangeHandler } from "./booking-changes.js";
import { createListCalendarLinksHandler } from "./calendar-link-handlers.js";
import { createListAuditEntriesHandler } from "./list-audit-entries.js";
import { createAdminListBookingsHandler } from "./list-bookings.js";
import { createListMerchantsHandler } from "./list-merchants.js";
import { createListNotificationsHandler, createRetryNotificationHandler } from "./notification-handlers.js";
import { createRescheduleBookingHandler } from "./reschedule-booking.js";
import { createSlotHandlers } from "./slot-handlers.js";

/** What the admin handlers are built from. */
export interface AdminHandlerDeps {
  bookings: MerchantBookings;
  /** Slots and manual blocks, changed with their audit and availability outbox entries. */
  inventory: MerchantInventory;
  /** Read side of blocks and calendar links. */
  calendar: Pick<CalendarStore, "listBlocks" | "linkStatuses">;
  audit: AuditLog;
  outbox: NotificationOutbox;
  notificationRetry: NotificationRetry;
  clock: Clock;
  /** How long a ListBookings sync token stays usable; 7 days by default. */
  syncTokenTtlSec?: number;
}

/** A sync token older than this answers SYNC_TOKEN_EXPIRED. */
export const defaultSyncTokenTtlSec = 7 * 24 * 3600;

/** The AdminService handlers this server implements, over the merchant side of the domain. */
export function createAdminHandlers(deps: AdminHandlerDeps): Partial<AdminServiceImpl> {
  const { bookings } = deps;
  return {
    listBookings: createAdminListBookingsHandler({
      bookings,
      clock: deps.clock,
      syncTokenTtlSec: deps.syncTokenTtlSec ?? defaultSyncTokenTtlSec,
    }),
    async getBooking(req) {
      if (req.bookingId === "") throw invalidField("booking_id", "is required");
      return { booking: adminBookingToProto(await withDomainErrors(() => bookings.get(req.bookingId))) };
    },
    cancelBooking: createBookingChangeHandler((b, change) => b.cancel(change), bookings),
    rescheduleBooking: createRescheduleBookingHandler(bookings),
    confirmBooking: createBookingChangeHandler((b, change) => b.confirm(change), bookings),
    declineBooking: createBookingChangeHandler((b, change) => b.decline(change), bookings),
    markNoShow: createBookingChangeHandler((b, change) => b.markNoShow(change), bookings),
    ...createSlotHandlers(deps.inventory, deps.clock),
    ...createBlockHandlers(deps.inventory, deps.calendar),
    listCalendarLinks: createListCalendarLinksHandler(deps.calendar),
    listAuditEntries: createListAuditEntriesHandler(deps.audit),
    listNotifications: createListNotificationsHandler(deps.outbox),
    retryNotification: createRetryNotificationHandler(deps.notificationRetry),
    listMerchants: createListMerchantsHandler(deps.inventory),
  };
}
