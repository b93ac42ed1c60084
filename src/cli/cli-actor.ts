import { userInfo } from "node:os";
import type { Actor } from "../booking/audit-entry.js";

/** Who a CLI change is audited as: the CLI and the operating-system user running it. */
export function cliActor(): Actor {
  let name = "cli";
  try {
    name = userInfo().username || name;
  } catch {
    // no user database entry (containers): keep "cli"
  }
  return { kind: "cli", id: name };
}
