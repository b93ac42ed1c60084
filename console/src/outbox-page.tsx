import { useState } from "preact/hooks";
import { type Notification, NotificationState } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { useConsole } from "./console-context.js";
import { href } from "./route.js";
import { dateTimeLabel } from "./time.js";
import { ErrorNotice, Loaded } from "./ui.js";
import { useAction, useInterval, useLoad } from "./use-load.js";

const stateLabels: Record<NotificationState, string> = {
  [NotificationState.UNSPECIFIED]: "Unknown",
  [NotificationState.PENDING]: "Waiting to be sent",
  [NotificationState.DELIVERED]: "Delivered",
  [NotificationState.FAILED]: "Failed",
};

/** Updates shown per page; "Show older updates" asks the server for the next page. */
const pageSize = 50;

/**
 * The real-time updates sent (or to be sent) to the aggregator for this merchant, newest first, one page
 * at a time: the server filters by merchant and pages newest first, so the page never reads other
 * merchants' updates nor every page of this one's.
 */
export function OutboxPage() {
  const { client, merchant, timeZone, pollMs } = useConsole();
  const [state, setState] = useState("");
  const [outcome, setOutcome] = useState("");
  // How many pages are shown, for one merchant and filter; another one starts again from the newest page.
  const filterKey = `${merchant.merchantId}\n${state}`;
  const [shown, setShown] = useState({ filterKey, pages: 1 });
  const pages = shown.filterKey === filterKey ? shown.pages : 1;
  const action = useAction();
  const outbox = useLoad(async () => {
    // Refreshing reads the pages shown again, so their delivery states follow the server's.
    const notifications: Notification[] = [];
    let pageToken = "";
    for (let read = 0; read < pages; read += 1) {
      const page = await client.listNotifications({
        merchantId: merchant.merchantId,
        states: state ? [Number(state) as NotificationState] : [],
        newestFirst: true,
        pageSize,
        pageToken,
      });
      notifications.push(...page.notifications);
      pageToken = page.nextPageToken;
      if (!pageToken) break;
    }
    return { notifications, more: pageToken !== "" };
  }, [client, merchant.merchantId, state, pages]);
  useInterval(() => {
    if (!outbox.loading && !action.busy) outbox.reload();
  }, pollMs);
  const retry = (notification: Notification) =>
    action.run(async () => {
      setOutcome("");
      await client.retryNotification({ notificationId: notification.notificationId });
      setOutcome(`Update ${notification.notificationId} is queued to be sent again.`);
      outbox.reload();
    });

  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">Updates sent to the booking platform</h1>
      <div class="toolbar">
        <label>
          <span>Delivery</span>
          <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">Any state</option>
            {[NotificationState.PENDING, NotificationState.DELIVERED, NotificationState.FAILED].map((s) => (
              <option key={s} value={String(s)}>
                {stateLabels[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="outcome" role="status">
        {outcome}
      </p>
      {action.error ? <ErrorNotice error={action.error} /> : null}
      <Loaded load={outbox} what="updates">
        {({ notifications, more }) =>
          notifications.length === 0 ? (
            <p class="empty">No updates.</p>
          ) : (
            <>
              <div class="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Update</th>
                      <th scope="col">What</th>
                      <th scope="col">Booking or service</th>
                      <th scope="col">Delivery</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Last error</th>
                      <th scope="col">Queued</th>
                      <th scope="col">Delivered / next attempt</th>
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {notifications.map((n) => (
                      <tr key={n.notificationId} data-booking-id={n.bookingId || undefined}>
                        <td>{n.notificationId}</td>
                        <td>{n.kind === "booking" ? `Booking (${n.updateMask})` : "Availability"}</td>
                        <td>
                          {n.bookingId ? (
                            <a href={href(`/booking/${encodeURIComponent(n.bookingId)}`)}>{n.bookingId}</a>
                          ) : (
                            n.serviceId
                          )}
                        </td>
                        <td>
                          <span class={`badge delivery-${NotificationState[n.state]}`}>{stateLabels[n.state]}</span>
                        </td>
                        <td>{n.attempts}</td>
                        <td class="wrap">{n.lastError || "—"}</td>
                        <td>{dateTimeLabel(Number(n.createTimeSec), timeZone)}</td>
                        <td>
                          {n.state === NotificationState.DELIVERED
                            ? dateTimeLabel(Number(n.deliveredTimeSec), timeZone)
                            : dateTimeLabel(Number(n.nextAttemptSec), timeZone)}
                        </td>
                        <td>
                          {n.state === NotificationState.FAILED ? (
                            <button
                              type="button"
                              disabled={action.busy}
                              aria-label={`Retry update ${n.notificationId}`}
                              onClick={() => retry(n)}
                            >
                              Retry
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {more ? (
                <p class="actions">
                  <button
                    type="button"
                    disabled={outbox.loading}
                    onClick={() => setShown({ filterKey, pages: pages + 1 })}
                  >
                    Show older updates
                  </button>
                </p>
              ) : null}
            </>
          )
        }
      </Loaded>
    </section>
  );
}
