import type { ComponentChildren } from "preact";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import { describeError } from "./admin-client.js";
import type { Load } from "./use-load.js";

/** A polite "loading" line for screen readers and eyes. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

/** An error with what to do, and a way to try again. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="notice error" role="alert">
      <p>{describeError(error)}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Shows a load's data, or its loading and error states. */
export function Loaded<T>({
  load,
  what,
  children,
}: {
  load: Load<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <>
      {load.error ? <ErrorNotice error={load.error} onRetry={load.reload} /> : null}
      {load.data === undefined ? load.loading ? <Loading what={what} /> : null : children(load.data)}
    </>
  );
}

const statusLabels: Record<BookingStatus, string> = {
  [BookingStatus.BOOKING_STATUS_UNSPECIFIED]: "Unknown",
  [BookingStatus.CONFIRMED]: "Confirmed",
  [BookingStatus.PENDING_MERCHANT_CONFIRMATION]: "Waiting for you",
  [BookingStatus.CANCELED]: "Cancelled",
  [BookingStatus.NO_SHOW]: "No-show",
  [BookingStatus.NO_SHOW_PENALIZED]: "No-show (charged)",
  [BookingStatus.FAILED]: "Failed",
  [BookingStatus.DECLINED_BY_MERCHANT]: "Declined",
};

/** A booking status in words. */
export function statusLabel(status: BookingStatus): string {
  return statusLabels[status] ?? "Unknown";
}

/** A booking status as a coloured badge (the words carry the meaning, not the colour). */
export function StatusBadge({ status }: { status: BookingStatus }) {
  return <span class={`badge status-${BookingStatus[status] ?? "UNKNOWN"}`}>{statusLabel(status)}</span>;
}

/** The statuses a filter offers, in the order a front desk thinks of them. */
export const filterStatuses: BookingStatus[] = [
  BookingStatus.CONFIRMED,
  BookingStatus.PENDING_MERCHANT_CONFIRMATION,
  BookingStatus.CANCELED,
  BookingStatus.DECLINED_BY_MERCHANT,
  BookingStatus.NO_SHOW,
  BookingStatus.NO_SHOW_PENALIZED,
  BookingStatus.FAILED,
];
