import { useState } from "preact/hooks";
import type { Booking } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import { isStaleEtag } from "./admin-client.js";
import { customerName, listAllBookings } from "./bookings-page.js";
import { useConsole } from "./console-context.js";
import { href } from "./route.js";
import { dateTimeLabel } from "./time.js";
import { ErrorNotice, Loaded } from "./ui.js";
import { useAction, useInterval, useLoad } from "./use-load.js";

/** The queue of bookings waiting for the merchant's decision, oldest start first. */
export function PendingPage() {
  const { client, merchant, timeZone, pollMs } = useConsole();
  const [outcome, setOutcome] = useState("");
  const action = useAction();
  const queue = useLoad(
    async () =>
      (
        await listAllBookings(client, {
          merchantId: merchant.merchantId,
          statuses: [BookingStatus.PENDING_MERCHANT_CONFIRMATION],
        })
      ).bookings,
    [client, merchant.merchantId],
  );
  useInterval(() => {
    if (!queue.loading && !action.busy) queue.reload();
  }, pollMs);

  const decide = (booking: Booking, decision: "confirm" | "decline") =>
    action.run(async () => {
      setOutcome("");
      try {
        if (decision === "confirm") await client.confirmBooking({ bookingId: booking.bookingId, etag: booking.etag });
        else await client.declineBooking({ bookingId: booking.bookingId, etag: booking.etag });
        setOutcome(`${decision === "confirm" ? "Confirmed" : "Declined"} booking ${booking.bookingId}.`);
      } finally {
        queue.reload();
      }
    });

  return (
    <section aria-labelledby="pending-title">
      <h1 id="pending-title">Bookings to confirm</h1>
      <p class="outcome" role="status">
        {outcome}
      </p>
      {action.error ? (
        isStaleEtag(action.error) ? (
          <div class="notice error stale" role="alert">
            <p>
              <strong>Someone else changed that booking</strong> before you decided, so nothing was changed. The list
              below is current.
            </p>
          </div>
        ) : (
          <ErrorNotice error={action.error} />
        )
      ) : null}
      <Loaded load={queue} what="bookings to confirm">
        {(bookings) =>
          bookings.length === 0 ? (
            <p class="empty">Nothing is waiting for a decision.</p>
          ) : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Service</th>
                    <th scope="col">Staff / room</th>
                    <th scope="col">Booking</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {bookings.map((b) => (
                    <tr key={b.bookingId} data-booking-id={b.bookingId}>
                      <td>{dateTimeLabel(Number(b.startSec), timeZone)}</td>
                      <td>{customerName(b)}</td>
                      <td>{b.serviceId}</td>
                      <td>{[b.staffId, b.roomId].filter(Boolean).join(" / ") || "—"}</td>
                      <td>
                        <a href={href(`/booking/${encodeURIComponent(b.bookingId)}`)}>{b.bookingId}</a>
                      </td>
                      <td class="actions">
                        <button
                          type="button"
                          class="primary"
                          disabled={action.busy}
                          aria-label={`Confirm booking ${b.bookingId} of ${customerName(b)}`}
                          onClick={() => decide(b, "confirm")}
                        >
                          Confirm
                        </button>
                        <button
                          type="button"
                          disabled={action.busy}
                          aria-label={`Decline booking ${b.bookingId} of ${customerName(b)}`}
                          onClick={() => decide(b, "decline")}
                        >
                          Decline
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
