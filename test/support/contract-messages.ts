import type { DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { file_booking_admin_v1_admin_service } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { file_booking_partner_v3_booking_service } from "../../gen/booking/partner/v3/booking_service_pb.js";

/**
 * Every message type of the partner and admin contracts, found by walking their files (Google's own
 * types left out): a message added to a proto is covered by every test that takes this list.
 */
export const contractMessages: readonly DescMessage[] = [
  file_booking_partner_v3_booking_service,
  file_booking_admin_v1_admin_service,
].flatMap((file) => [
  ...new Map(
    [file, ...file.dependencies]
      .flatMap((f) => [...nestedTypes(f)])
      .filter((t): t is DescMessage => t.kind === "message" && !t.typeName.startsWith("google."))
      .map((t) => [t.typeName, t]),
  ).values(),
]);
