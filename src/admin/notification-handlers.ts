import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  ListNotificationsRequest,
  ListNotificationsResponseSchema,
  RetryNotificationRequest,
  RetryNotificationResponseSchema,
} from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { NotificationOutbox } from "../booking/notification-outbox.js";
import type { NotificationRetry } from "../booking/notification-retry.js";
import type { NotificationState } from "../booking/outbox-entry.js";
import { invalidField, rpcError } from "../contract/errors.js";
import { notificationStateOf, notificationToProto } from "./notification-to-proto.js";
import { afterIdOf, nextIdToken, pageSizeOf } from "./page-size.js";

/**
 * ListNotifications: outbox entries with their delivery state, oldest first or newest first, optionally
 * of one merchant. A page token is the last entry id of the page before, so it continues the listing
 * with the same filters and order without skipping or repeating entries written meanwhile.
 */
export function createListNotificationsHandler(outbox: NotificationOutbox) {
  return async (req: ListNotificationsRequest): Promise<MessageInitShape<typeof ListNotificationsResponseSchema>> => {
    const limit = pageSizeOf(req.pageSize);
    const states = req.states.map((state, index): NotificationState => {
      const known = notificationStateOf(state);
      if (!known) throw invalidField(`states[${index}]`, "must name a notification state");
      return known;
    });
    const lastEntryId = afterIdOf(req.pageToken);
    const entries = await outbox.list({
      ...(states.length > 0 ? { states } : {}),
      ...(req.bookingId ? { bookingId: req.bookingId } : {}),
      ...(req.merchantId ? { merchantId: req.merchantId } : {}),
      ...(req.newestFirst ? { newestFirst: true } : {}),
      ...(lastEntryId === undefined
        ? {}
        : req.newestFirst
          ? { beforeEntryId: lastEntryId }
          : { afterEntryId: lastEntryId }),
      limit,
    });
    return {
      notifications: entries.map(notificationToProto),
      nextPageToken: nextIdToken(
        entries.map((e) => e.entryId),
        limit,
      ),
    };
  };
}

/**
 * RetryNotification: queues a failed entry for delivery again with its booking's or slot's current state
 * (a pending or delivered one is left as is).
 */
export function createRetryNotificationHandler(notifications: NotificationRetry) {
  return async (req: RetryNotificationRequest): Promise<MessageInitShape<typeof RetryNotificationResponseSchema>> => {
    const id = Number(req.notificationId);
    if (req.notificationId === "" || !Number.isSafeInteger(id) || id <= 0) {
      throw invalidField("notification_id", "must be the id of a notification");
    }
    const entry = await notifications.retry(id);
    if (!entry) throw rpcError("NOTIFICATION_NOT_FOUND", "no notification with this notification_id exists");
    return { notification: notificationToProto(entry) };
  };
}
