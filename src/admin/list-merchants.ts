import type { ListMerchantsRequest } from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { MerchantInventory } from "../booking/merchant-inventory.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import type { AdminServiceImpl } from "./admin-service-impl.js";
import { pageOf } from "./keyset-token.js";
import { pageSizeOf } from "./page-size.js";

/** ListMerchants: every merchant with its name and time zone, by merchant id (a handful per partner). */
export function createListMerchantsHandler(
  inventory: Pick<MerchantInventory, "listMerchants">,
): AdminServiceImpl["listMerchants"] {
  return async (req: ListMerchantsRequest) => {
    const limit = pageSizeOf(req.pageSize);
    const merchants = await withDomainErrors(() => inventory.listMerchants());
    const { page, nextPageToken } = pageOf(merchants, (merchant) => [merchant.merchantId], {
      filter: "merchants",
      pageToken: req.pageToken,
      limit,
    });
    return {
      merchants: page.map((merchant) => ({
        merchantId: merchant.merchantId,
        name: merchant.name,
        timeZone: merchant.timeZone || "UTC",
      })),
      nextPageToken,
    };
  };
}
