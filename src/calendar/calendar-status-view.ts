import { formatInstant } from "../booking/clock.js";
import type { BusyResource, CalendarLinkStatus } from "./calendar-link.js";
import type { BusyConflict, ManualBlock } from "./calendar-store.js";

/** `merchant m1`, `merchant m1 staff s1` or `merchant m1 room r1`. */
export function describeResource(resource: BusyResource): string {
  const base = `merchant ${resource.merchantId}`;
  return resource.resourceKind === "merchant" ? base : `${base} ${resource.resourceKind} ${resource.resourceId}`;
}

/** One word for where a link stands. */
export function linkHealth(status: CalendarLinkStatus): string {
  if (status.state.gone) return "calendar gone";
  if (status.state.needsReauth) return "needs re-authorisation";
  if (status.state.lastError && status.state.nextAttemptSec === null) return "halted";
  if (status.state.lastError) return "failing";
  if (status.state.lastSuccessSec === undefined) return "not synced yet";
  return "ok";
}

/** The status of a link as the merchant reads it; never credentials or sync tokens. */
export function formatLinkStatus(status: CalendarLinkStatus): string {
  const { state } = status;
  const lines = [
    `link ${status.linkId}  ${describeResource(status)}  calendar ${status.calendarId}  (${status.credentialsKind})`,
    `  state:                  ${linkHealth(status)}`,
    `  last success:           ${formatInstant(state.lastSuccessSec)}`,
    `  last error:             ${state.lastError ? `${state.lastError.reason}: ${state.lastError.message} (${formatInstant(state.lastError.atSec)})` : "-"}`,
    `  next attempt:           ${state.nextAttemptSec === null ? "none until re-linked or synced by hand" : formatInstant(state.nextAttemptSec)}`,
    `  consecutive failures:   ${state.consecutiveFailures}`,
    `  busy intervals:         ${status.busyIntervals}`,
    `  open conflicts:         ${status.openConflicts}`,
    `  needs re-authorisation: ${state.needsReauth ? "yes" : "no"}`,
    `  gone:                   ${state.gone ? "yes" : "no"}`,
  ];
  if (state.timeZone) lines.push(`  time zone:              ${state.timeZone}`);
  return `${lines.join("\n")}\n`;
}

/** A conflict on one line: which busy time overlaps which booking. */
export function formatConflict(conflict: BusyConflict): string {
  const slotEnd = conflict.slotStartSec + conflict.slotDurationSec;
  const where = [conflict.staffId && `staff ${conflict.staffId}`, conflict.roomId && `room ${conflict.roomId}`]
    .filter(Boolean)
    .join(" ");
  return (
    `conflict ${conflict.conflictId}  merchant ${conflict.merchantId}  booking ${conflict.bookingId} (${conflict.bookingStatus}) ` +
    `service ${conflict.serviceId}${where ? ` ${where}` : ""} ${formatInstant(conflict.slotStartSec)}..${formatInstant(slotEnd)}  ` +
    `busy ${formatInstant(conflict.busyStartSec)}..${formatInstant(conflict.busyEndSec)} from ${conflict.source} ${conflict.sourceRef}` +
    `${conflict.clearedSec !== undefined ? `  cleared ${formatInstant(conflict.clearedSec)}` : ""}\n`
  );
}

/** A manual block on one line. */
export function formatBlock(block: ManualBlock): string {
  const note = block.note ? `  ${JSON.stringify(block.note)}` : "";
  return `${block.blockId}  ${describeResource(block)}  ${formatInstant(block.startSec)}..${formatInstant(block.endSec)}${note}\n`;
}
