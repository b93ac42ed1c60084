import type { MessageInitShape } from "@bufbuild/protobuf";
import { type NotificationSchema, NotificationState } from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { NotificationState as DomainState, OutboxEntry } from "../booking/outbox-entry.js";

const states: Record<DomainState, NotificationState> = {
  pending: NotificationState.PENDING,
  delivered: NotificationState.DELIVERED,
  failed: NotificationState.FAILED,
};

/** The domain state a wire state names; undefined for UNSPECIFIED. */
export function notificationStateOf(state: NotificationState): DomainState | undefined {
  return (Object.keys(states) as DomainState[]).find((key) => states[key] === state);
}

/** An outbox entry as the admin API shows it. */
export function notificationToProto(entry: OutboxEntry): MessageInitShape<typeof NotificationSchema> {
  return {
    notificationId: String(entry.entryId),
    kind: entry.payload.kind,
    bookingId: entry.bookingId,
    merchantId: entry.merchantId,
    serviceId: entry.serviceId,
    state: states[entry.state],
    attempts: entry.attempts,
    lastError: entry.lastError,
    nextAttemptSec: BigInt(Math.floor(entry.nextAttemptMs / 1000)),
    createTimeSec: BigInt(entry.createdSec),
    deliveredTimeSec: BigInt(entry.deliveredSec),
    updateMask: entry.payload.kind === "booking" ? entry.payload.updateMask.join(",") : "",
  };
}
