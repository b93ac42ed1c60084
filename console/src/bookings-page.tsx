import { useEffect, useRef, useState } from "preact/hooks";
import type { Booking, ListBookingsRequest } from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { AdminClient } from "./admin-client.js";
import { useConsole } from "./console-context.js";
import { href, navigate } from "./route.js";
import { addDays, dayLabel, localDateOf, longDayLabel, timeLabel, today, weekStart, zonedSec } from "./time.js";
import { filterStatuses, Loaded, StatusBadge, statusLabel } from "./ui.js";
import { useInterval, useLoad } from "./use-load.js";

type Filters = Pick<
  ListBookingsRequest,
  "merchantId" | "startSecMin" | "startSecMax" | "statuses" | "staffIds" | "serviceIds" | "query"
>;

/** Every page of a filtered listing, and the sync token of its last page. */
export async function listAllBookings(
  client: AdminClient,
  filters: Partial<Filters>,
): Promise<{ bookings: Booking[]; syncToken: string }> {
  const bookings: Booking[] = [];
  let pageToken = "";
  for (;;) {
    const page = await client.listBookings({ ...filters, pageSize: 1000, pageToken });
    bookings.push(...page.bookings);
    if (!page.nextPageToken) return { bookings, syncToken: page.nextSyncToken };
    pageToken = page.nextPageToken;
  }
}

/** Whether anything of the merchant changed since a sync token (a stale token counts as a change). */
export async function changedSince(client: AdminClient, merchantId: string, syncToken: string): Promise<boolean> {
  try {
    const page = await client.listBookings({ merchantId, syncToken, pageSize: 1 });
    return page.bookings.length > 0;
  } catch {
    return true;
  }
}

/** A customer's name, or their booking's user id when the aggregator sent none. */
export function customerName(booking: Booking): string {
  const user = booking.userInformation;
  const name = [user?.givenName, user?.familyName].filter(Boolean).join(" ");
  return name || user?.userId || "—";
}

/** Bookings of the merchant by day or week, filtered, searched, and kept current by polling with a sync token. */
export function BookingsPage({ params }: { params: URLSearchParams }) {
  const { client, merchant, timeZone, pollMs } = useConsole();
  const view = params.get("view") === "week" ? "week" : "day";
  const date = params.get("date") || today(timeZone);
  const status = params.get("status") ?? "";
  const staff = params.get("staff") ?? "";
  const service = params.get("service") ?? "";
  const query = params.get("q") ?? "";
  const [search, setSearch] = useState(query);
  useEffect(() => setSearch(query), [query]);

  const first = view === "week" ? weekStart(date) : date;
  const days = Array.from({ length: view === "week" ? 7 : 1 }, (_, i) => addDays(first, i));
  const rangeStart = zonedSec(first, 0, timeZone);
  const rangeEnd = zonedSec(addDays(first, days.length), 0, timeZone);
  const go = (changes: Record<string, string | undefined>) =>
    navigate("/bookings", { view, date, status, staff, service, q: query, ...changes });

  const syncToken = useRef("");
  const listing = useLoad(async () => {
    const [found, slots] = await Promise.all([
      listAllBookings(client, {
        merchantId: merchant.merchantId,
        startSecMin: BigInt(rangeStart),
        startSecMax: BigInt(rangeEnd),
        statuses: status ? [Number(status) as BookingStatus] : [],
        staffIds: staff ? [staff] : [],
        serviceIds: service ? [service] : [],
        query,
      }),
      client.listSlots({
        merchantId: merchant.merchantId,
        startSecMin: BigInt(rangeStart),
        startSecMax: BigInt(rangeEnd),
        pageSize: 1000,
      }),
    ]);
    syncToken.current = found.syncToken;
    const staffIds = new Set(slots.slots.map((s) => s.staffId).filter(Boolean));
    const serviceIds = new Set(slots.slots.map((s) => s.serviceId));
    if (staff) staffIds.add(staff);
    if (service) serviceIds.add(service);
    return { bookings: found.bookings, staffIds: [...staffIds].sort(), serviceIds: [...serviceIds].sort() };
  }, [client, merchant.merchantId, rangeStart, rangeEnd, status, staff, service, query]);

  useInterval(() => {
    if (!syncToken.current || listing.loading) return;
    void changedSince(client, merchant.merchantId, syncToken.current).then((changed) => {
      if (changed) listing.reload();
    });
  }, pollMs);

  const title = view === "week" ? `Week of ${longDayLabel(first)}` : longDayLabel(date);
  return (
    <section aria-labelledby="bookings-title">
      <h1 id="bookings-title">Bookings — {title}</h1>
      <div class="toolbar">
        <fieldset class="segmented">
          <legend class="visually-hidden">View</legend>
          <button type="button" aria-pressed={view === "day"} onClick={() => go({ view: "day" })}>
            Day
          </button>
          <button type="button" aria-pressed={view === "week"} onClick={() => go({ view: "week" })}>
            Week
          </button>
        </fieldset>
        <fieldset class="segmented">
          <legend class="visually-hidden">Move in time</legend>
          <button type="button" onClick={() => go({ date: addDays(date, view === "week" ? -7 : -1) })}>
            {view === "week" ? "Previous week" : "Previous day"}
          </button>
          <button type="button" onClick={() => go({ date: today(timeZone) })}>
            Today
          </button>
          <button type="button" onClick={() => go({ date: addDays(date, view === "week" ? 7 : 1) })}>
            {view === "week" ? "Next week" : "Next day"}
          </button>
        </fieldset>
        <label>
          <span>Date</span>
          <input
            type="date"
            value={date}
            onChange={(e) => e.currentTarget.value && go({ date: e.currentTarget.value })}
          />
        </label>
      </div>
      <form
        class="toolbar filters"
        aria-label="Filter bookings"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: search.trim() });
        }}
      >
        <label>
          <span>Status</span>
          <select value={status} onChange={(e) => go({ status: e.currentTarget.value })}>
            <option value="">Any status</option>
            {filterStatuses.map((s) => (
              <option key={s} value={String(s)}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Staff</span>
          <select value={staff} onChange={(e) => go({ staff: e.currentTarget.value })}>
            <option value="">Any staff</option>
            {(listing.data?.staffIds ?? (staff ? [staff] : [])).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Service</span>
          <select value={service} onChange={(e) => go({ service: e.currentTarget.value })}>
            <option value="">Any service</option>
            {(listing.data?.serviceIds ?? (service ? [service] : [])).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label class="grow">
          <span>Booking id or customer name</span>
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
        {query || status || staff || service ? (
          <button type="button" onClick={() => go({ q: "", status: "", staff: "", service: "" })}>
            Clear filters
          </button>
        ) : null}
      </form>
      {listing.loading && listing.data ? (
        <p class="refreshing" role="status">
          Refreshing…
        </p>
      ) : null}
      <Loaded load={listing} what="bookings">
        {(data) => (
          <div class="days">
            {days.map((day) => (
              <DayBookings
                key={day}
                day={day}
                heading={view === "week"}
                bookings={data.bookings.filter((b) => localDateOf(Number(b.startSec), timeZone) === day)}
                timeZone={timeZone}
              />
            ))}
          </div>
        )}
      </Loaded>
    </section>
  );
}

function DayBookings(props: { day: string; heading: boolean; bookings: Booking[]; timeZone: string }) {
  const { day, heading, bookings, timeZone } = props;
  const id = `day-${day}`;
  return (
    <section
      class="day"
      aria-labelledby={heading ? id : undefined}
      aria-label={heading ? undefined : "Bookings of the day"}
    >
      {heading ? <h2 id={id}>{dayLabel(day)}</h2> : null}
      {bookings.length === 0 ? (
        <p class="empty">No bookings.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Customer</th>
                <th scope="col">Service</th>
                <th scope="col">Staff / room</th>
                <th scope="col">Party</th>
                <th scope="col">Status</th>
                <th scope="col">Booking</th>
              </tr>
            </thead>
            <tbody>
              {bookings.map((b) => (
                <tr key={b.bookingId} data-booking-id={b.bookingId}>
                  <td>
                    {timeLabel(Number(b.startSec), timeZone)}–{timeLabel(Number(b.startSec + b.durationSec), timeZone)}
                  </td>
                  <td>{customerName(b)}</td>
                  <td>{b.serviceId}</td>
                  <td>{[b.staffId, b.roomId].filter(Boolean).join(" / ") || "—"}</td>
                  <td>{b.partySize || 1}</td>
                  <td>
                    <StatusBadge status={b.status} />
                  </td>
                  <td>
                    <a
                      href={href(`/booking/${encodeURIComponent(b.bookingId)}`)}
                      aria-label={`Open booking ${b.bookingId} of ${customerName(b)}`}
                    >
                      {b.bookingId}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
