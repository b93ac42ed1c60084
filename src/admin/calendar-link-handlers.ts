import type { ListCalendarLinksRequest } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { linkHealth } from "../calendar/calendar-status-view.js";
import type { CalendarLinkStore } from "../calendar/calendar-store.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import type { AdminServiceImpl } from "./admin-service-impl.js";
import { pageOf } from "./keyset-token.js";
import { pageSizeOf } from "./page-size.js";

/** ListCalendarLinks: the linked calendars with their sync status; never credentials or sync tokens. */
export function createListCalendarLinksHandler(
  links: Pick<CalendarLinkStore, "linkStatuses">,
): AdminServiceImpl["listCalendarLinks"] {
  return async (req: ListCalendarLinksRequest) => {
    const limit = pageSizeOf(req.pageSize);
    const statuses = (await withDomainErrors(() => links.linkStatuses()))
      .filter((status) => req.merchantId === "" || status.merchantId === req.merchantId)
      .sort((a, b) => a.linkId - b.linkId);
    const { page, nextPageToken } = pageOf(statuses, (status) => [status.linkId], {
      filter: JSON.stringify([req.merchantId]),
      pageToken: req.pageToken,
      limit,
    });
    return {
      links: page.map((status) => ({
        linkId: String(status.linkId),
        merchantId: status.merchantId,
        resourceKind: status.resourceKind,
        resourceId: status.resourceId,
        calendarId: status.calendarId,
        lastSuccessSec: BigInt(status.state.lastSuccessSec ?? 0),
        lastError: status.state.lastError ? `${status.state.lastError.reason}: ${status.state.lastError.message}` : "",
        nextAttemptSec: BigInt(status.state.nextAttemptSec ?? 0),
        state: linkHealth(status),
      })),
      nextPageToken,
    };
  };
}
