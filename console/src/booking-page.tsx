import { useState } from "preact/hooks";
import type { AuditEntry, Booking } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import { isStaleEtag } from "./admin-client.js";
import { customerName } from "./bookings-page.js";
import { useConsole } from "./console-context.js";
import { RescheduleForm } from "./reschedule-form.js";
import { href } from "./route.js";
import { dateTimeLabel, localDateOf, longDayLabel, timeLabel } from "./time.js";
import { ErrorNotice, Loaded, StatusBadge, statusLabel } from "./ui.js";
import { useAction, useInterval, useLoad } from "./use-load.js";

type Panel = "none" | "cancel" | "decline" | "reschedule";

/** One booking: its details, its audit trail, and what the front desk can do with it. */
export function BookingPage({ bookingId }: { bookingId: string }) {
  const { client, timeZone, pollMs } = useConsole();
  const [booking, setBooking] = useState<Booking | undefined>(undefined);
  const [changedElsewhere, setChangedElsewhere] = useState<Booking | undefined>(undefined);
  const [stale, setStale] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [panel, setPanel] = useState<Panel>("none");
  const [reason, setReason] = useState("");
  const action = useAction();

  const loaded = useLoad(async () => {
    const answer = await client.getBooking({ bookingId });
    setBooking(answer.booking);
    setChangedElsewhere(undefined);
    return answer.booking;
  }, [client, bookingId]);
  const audit = useLoad(async () => {
    const entries: AuditEntry[] = [];
    let pageToken = "";
    do {
      const page = await client.listAuditEntries({ bookingId, pageSize: 1000, pageToken });
      entries.push(...page.entries);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return entries;
  }, [client, bookingId, booking?.etag]);

  // A change made elsewhere is announced, never applied under the person's hands: what they act on
  // stays what they see, and acting on it after such a change gets the stale-etag answer.
  useInterval(() => {
    if (!booking || action.busy) return;
    client.getBooking({ bookingId }).then(
      (answer) => {
        if (answer.booking && answer.booking.etag !== booking.etag) setChangedElsewhere(answer.booking);
      },
      () => undefined,
    );
  }, pollMs);

  const act = async (what: string, call: (etag: string) => Promise<{ booking?: Booking }>) => {
    if (!booking) return;
    setDone(undefined);
    setStale(false);
    const ok = await action.run(async () => {
      try {
        const answer = await call(booking.etag);
        setBooking(answer.booking);
        setChangedElsewhere(undefined);
        setPanel("none");
        setReason("");
        setDone(what);
      } catch (error) {
        if (isStaleEtag(error)) {
          setStale(true);
          const fresh = await client.getBooking({ bookingId });
          setBooking(fresh.booking);
          setChangedElsewhere(undefined);
          setPanel("none");
        }
        throw error;
      }
    });
    if (ok) document.getElementById("booking-outcome")?.focus();
  };

  const b = booking;
  const started = b ? Number(b.startSec) * 1000 <= Date.now() : false;
  return (
    <section aria-labelledby="booking-title">
      <p>
        <a href={href("/bookings", b ? { date: localDateOf(Number(b.startSec), timeZone) } : {})}>← Bookings</a>
      </p>
      <h1 id="booking-title">Booking {bookingId}</h1>
      <Loaded load={loaded} what="the booking">
        {() =>
          b ? (
            <>
              {changedElsewhere ? (
                <div class="notice warning" role="status">
                  <p>
                    This booking was changed elsewhere (now {statusLabel(changedElsewhere.status)},{" "}
                    {dateTimeLabel(Number(changedElsewhere.startSec), timeZone)}).
                  </p>
                  <button
                    type="button"
                    onClick={() => {
                      setBooking(changedElsewhere);
                      setChangedElsewhere(undefined);
                    }}
                  >
                    Show the latest
                  </button>
                </div>
              ) : null}
              {stale ? (
                <div class="notice error stale" role="alert">
                  <p>
                    <strong>Someone else changed this booking</strong> after you opened it, so your change was not made.
                    Its current state is shown below; check it and decide again.
                  </p>
                </div>
              ) : action.error ? (
                <ErrorNotice error={action.error} />
              ) : null}
              <p id="booking-outcome" class="outcome" tabIndex={-1} role="status">
                {done ? `${done}.` : ""}
              </p>
              <dl class="facts">
                <dt>Status</dt>
                <dd>
                  <StatusBadge status={b.status} />
                </dd>
                <dt>Customer</dt>
                <dd>{customerName(b)}</dd>
                <dt>Contact</dt>
                <dd>{[b.userInformation?.email, b.userInformation?.telephone].filter(Boolean).join(", ") || "—"}</dd>
                <dt>When</dt>
                <dd>
                  {longDayLabel(localDateOf(Number(b.startSec), timeZone))}, {timeLabel(Number(b.startSec), timeZone)}–
                  {timeLabel(Number(b.startSec + b.durationSec), timeZone)}
                </dd>
                <dt>Service</dt>
                <dd>{b.serviceId}</dd>
                <dt>Staff / room</dt>
                <dd>{[b.staffId, b.roomId].filter(Boolean).join(" / ") || "—"}</dd>
                <dt>Party size</dt>
                <dd>{b.partySize || 1}</dd>
                <dt>Booked through</dt>
                <dd>{b.aggregator || "—"}</dd>
                <dt>Last changed</dt>
                <dd>{dateTimeLabel(Number(b.updateTimeSec), timeZone)}</dd>
              </dl>
              <fieldset class="actions">
                <legend class="visually-hidden">Actions</legend>
                {b.status === BookingStatus.PENDING_MERCHANT_CONFIRMATION ? (
                  <>
                    <button
                      type="button"
                      class="primary"
                      disabled={action.busy}
                      onClick={() => act("Confirmed", (etag) => client.confirmBooking({ bookingId, etag }))}
                    >
                      Confirm
                    </button>
                    <button type="button" disabled={action.busy} onClick={() => setPanel("decline")}>
                      Decline…
                    </button>
                  </>
                ) : null}
                {b.status === BookingStatus.CONFIRMED || b.status === BookingStatus.PENDING_MERCHANT_CONFIRMATION ? (
                  <>
                    <button type="button" disabled={action.busy} onClick={() => setPanel("reschedule")}>
                      Reschedule…
                    </button>
                    <button type="button" class="danger" disabled={action.busy} onClick={() => setPanel("cancel")}>
                      Cancel booking…
                    </button>
                  </>
                ) : null}
                {b.status === BookingStatus.CONFIRMED && started ? (
                  <button
                    type="button"
                    disabled={action.busy}
                    onClick={() => act("Marked as no-show", (etag) => client.markNoShow({ bookingId, etag }))}
                  >
                    Mark no-show
                  </button>
                ) : null}
              </fieldset>
              {panel === "cancel" || panel === "decline" ? (
                <form
                  class="panel"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void act(panel === "cancel" ? "Cancelled" : "Declined", (etag) =>
                      panel === "cancel"
                        ? client.cancelBooking({ bookingId, etag, reason })
                        : client.declineBooking({ bookingId, etag, reason }),
                    );
                  }}
                >
                  <label for="reason">{panel === "cancel" ? "Reason for cancelling" : "Reason for declining"}</label>
                  <textarea id="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} rows={2} />
                  <div class="actions">
                    <button type="submit" class="danger" disabled={action.busy}>
                      {panel === "cancel" ? "Cancel this booking" : "Decline this booking"}
                    </button>
                    <button type="button" onClick={() => setPanel("none")}>
                      Keep it
                    </button>
                  </div>
                </form>
              ) : null}
              {panel === "reschedule" ? (
                <RescheduleForm
                  booking={b}
                  busy={action.busy}
                  onClose={() => setPanel("none")}
                  onPick={(slot) =>
                    act("Rescheduled", (etag) =>
                      client.rescheduleBooking({
                        bookingId,
                        etag,
                        startSec: slot.startSec,
                        durationSec: slot.durationSec,
                      }),
                    )
                  }
                />
              ) : null}
              <h2>History</h2>
              <Loaded load={audit} what="the history">
                {(entries) => (
                  <ol class="audit">
                    {entries.map((entry) => (
                      <li key={entry.entryId}>
                        <time>{dateTimeLabel(Number(entry.timeSec), timeZone)}</time> <strong>{entry.action}</strong> by{" "}
                        {entry.actor || entry.actorKind} ({entry.actorKind}){entry.reason ? `: ${entry.reason}` : ""}
                      </li>
                    ))}
                  </ol>
                )}
              </Loaded>
            </>
          ) : null
        }
      </Loaded>
    </section>
  );
}
