import type { CalendarLink } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { useConsole } from "./console-context.js";
import { dateTimeLabel } from "./time.js";
import { Loaded } from "./ui.js";
import { useInterval, useLoad } from "./use-load.js";

/** The merchant's linked calendars and how their sync is going. */
export function CalendarsPage() {
  const { client, merchant, timeZone, pollMs } = useConsole();
  const links = useLoad(async () => {
    const found: CalendarLink[] = [];
    let pageToken = "";
    do {
      const page = await client.listCalendarLinks({ merchantId: merchant.merchantId, pageSize: 1000, pageToken });
      found.push(...page.links);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return found;
  }, [client, merchant.merchantId]);
  useInterval(() => {
    if (!links.loading) links.reload();
  }, pollMs * 5);

  return (
    <section aria-labelledby="calendars-title">
      <h1 id="calendars-title">Linked calendars</h1>
      <p class="hint">
        Busy time in these calendars is not offered to customers. Link one with{" "}
        <code>booking-server calendar link</code>.
      </p>
      <Loaded load={links} what="calendar links">
        {(found) =>
          found.length === 0 ? (
            <p class="empty">No calendar is linked to this merchant.</p>
          ) : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Calendar</th>
                    <th scope="col">For</th>
                    <th scope="col">Sync</th>
                    <th scope="col">Last success</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Next attempt</th>
                  </tr>
                </thead>
                <tbody>
                  {found.map((link) => (
                    <tr key={link.linkId}>
                      <td>{link.calendarId}</td>
                      <td>
                        {link.resourceKind === "merchant"
                          ? "Whole merchant"
                          : `${link.resourceKind} ${link.resourceId}`}
                      </td>
                      <td>
                        <span class={`badge sync-${link.state.replace(/\W+/g, "-")}`}>{link.state}</span>
                      </td>
                      <td>{dateTimeLabel(Number(link.lastSuccessSec), timeZone)}</td>
                      <td class="wrap">{link.lastError || "—"}</td>
                      <td>{dateTimeLabel(Number(link.nextAttemptSec), timeZone)}</td>
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
