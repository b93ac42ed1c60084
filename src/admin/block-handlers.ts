import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type {
  AddBlockRequest,
  BlockSchema,
  ListBlocksRequest,
  RemoveBlockRequest,
} from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { ResourceKind } from "../booking/inventory.js";
import type { StoredManualBlock } from "../booking/manual-block.js";
import type { MerchantInventory } from "../booking/merchant-inventory.js";
import type { ManualBlockStore } from "../calendar/calendar-store.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidField, invalidFields } from "../contract/errors.js";
import { adminActor } from "./admin-actor.js";
import type { AdminServiceImpl } from "./admin-service-impl.js";
import { pageOf } from "./keyset-token.js";
import { pageSizeOf } from "./page-size.js";
import { RequestFields } from "./request-fields.js";

const resourceKinds: readonly ResourceKind[] = ["merchant", "staff", "room"];

/** ListBlocks, AddBlock and RemoveBlock: manual blocks, changed with their audit entries and updates. */
export function createBlockHandlers(
  inventory: MerchantInventory,
  blocks: Pick<ManualBlockStore, "listBlocks">,
): Pick<AdminServiceImpl, "listBlocks" | "addBlock" | "removeBlock"> {
  return {
    async listBlocks(req: ListBlocksRequest) {
      const limit = pageSizeOf(req.pageSize);
      const all = await withDomainErrors(() => blocks.listBlocks(req.merchantId ? { merchantId: req.merchantId } : {}));
      // Blocks of a merchant are few (hand-made), so a page is cut from the store's ordered listing.
      const { page, nextPageToken } = pageOf(all, (b) => [b.merchantId, b.startSec, b.blockId], {
        filter: JSON.stringify([req.merchantId]),
        pageToken: req.pageToken,
        limit,
      });
      return { blocks: page.map(blockToProto), nextPageToken };
    },
    async addBlock(req: AddBlockRequest, ctx: HandlerContext) {
      const block = req.block;
      if (!block) throw invalidField("block", "is required");
      const fields = new RequestFields();
      const merchantId = fields.text(block.merchantId, "block.merchant_id");
      const resourceKind = (block.resourceKind || "merchant") as ResourceKind;
      if (!resourceKinds.includes(resourceKind)) {
        fields.violation("block.resource_kind", "must be merchant, staff or room");
      } else if (resourceKind === "merchant" && block.resourceId !== "") {
        fields.violation("block.resource_id", "must be empty for a block of the whole merchant");
      } else if (resourceKind !== "merchant" && block.resourceId === "") {
        fields.violation("block.resource_id", `is required for a ${resourceKind} block`);
      }
      if (block.blockId !== "") fields.violation("block.block_id", "is assigned by the server; leave it empty");
      const startSec = fields.seconds(block.startSec, "block.start_sec", 1);
      const endSec = fields.seconds(block.endSec, "block.end_sec", 1);
      if (startSec > 0 && endSec > 0 && endSec <= startSec)
        fields.violation("block.end_sec", "must be after start_sec");
      if (fields.violations.length > 0) throw invalidFields(fields.violations);
      const stored = await withDomainErrors(() =>
        inventory.addBlock(
          { merchantId, resourceKind, resourceId: block.resourceId, startSec, endSec, note: block.note },
          adminActor(ctx),
        ),
      );
      return { block: blockToProto(stored) };
    },
    async removeBlock(req: RemoveBlockRequest, ctx: HandlerContext) {
      if (req.blockId === "") throw invalidField("block_id", "is required");
      await withDomainErrors(() => inventory.removeBlock(req.blockId, adminActor(ctx)));
      return {};
    },
  };
}

function blockToProto(block: StoredManualBlock): MessageInitShape<typeof BlockSchema> {
  return {
    blockId: block.blockId,
    merchantId: block.merchantId,
    resourceKind: block.resourceKind,
    resourceId: block.resourceId,
    startSec: BigInt(block.startSec),
    endSec: BigInt(block.endSec),
    note: block.note,
  };
}
