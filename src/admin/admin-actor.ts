import type { HandlerContext } from "@connectrpc/connect";
import type { Actor } from "../booking/audit-entry.js";
import { callerKey } from "../contract/caller-context.js";

/** The audit actor of an admin call: the admin credential user that authenticated it. */
export function adminActor(ctx: HandlerContext): Actor {
  return { kind: "admin", id: ctx.values.get(callerKey) };
}
