import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Merchant } from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { AdminClient } from "./admin-client.js";

/** What every signed-in page works with. */
export interface ConsoleContextValue {
  client: AdminClient;
  merchant: Merchant;
  /** The merchant's IANA time zone: every time is shown and entered in it. */
  timeZone: string;
  /** How often pages look for changes made elsewhere, in milliseconds. */
  pollMs: number;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

/** The signed-in console's client, merchant and time zone. */
export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error("useConsole outside a signed-in page");
  return value;
}
