import type { ServiceImpl } from "@connectrpc/connect";
import { AdminService } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { rpcError } from "../contract/errors.js";

/** The handlers of AdminService, by their generated local names (`listBookings`, ...). */
export type AdminServiceImpl = ServiceImpl<typeof AdminService>;

/** Completes a partial set of admin handlers: every missing method answers UNIMPLEMENTED. */
export function createAdminServiceImpl(handlers: Partial<AdminServiceImpl>): AdminServiceImpl {
  const impl: Record<string, unknown> = {};
  for (const method of AdminService.methods) {
    impl[method.localName] =
      handlers[method.localName as keyof AdminServiceImpl] ??
      (() => {
        throw rpcError("NOT_IMPLEMENTED", `${method.name} is not implemented by this server`);
      });
  }
  return impl as AdminServiceImpl;
}
