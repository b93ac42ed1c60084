import { type Client, Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { AdminService } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";

/** The AdminService client every page uses: the generated service over Connect, nothing else. */
export type AdminClient = Client<typeof AdminService>;

/** `Basic ...` for a user and password, as `--admin-credentials` lines name them. */
export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** A client that sends the admin credential with every call, through an interceptor. */
export function createAdminClient(authorization: string): AdminClient {
  const withCredential: Interceptor = (next) => (req) => {
    req.header.set("authorization", authorization);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: window.location.origin,
    interceptors: [withCredential],
    // With credentials omitted, a 401 (which carries WWW-Authenticate: Basic) never opens the
    // browser's own password dialog: the page shows its message instead.
    fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "omit" }),
  });
  return createClient(AdminService, transport);
}

/** The `google.rpc.ErrorInfo` reason of a failed call (`ETAG_MISMATCH`, ...). */
export function reasonOf(error: unknown): string | undefined {
  return ConnectError.from(error).findDetails(ErrorInfoSchema)[0]?.reason;
}

/** True when the server refused the credential. */
export function isUnauthenticated(error: unknown): boolean {
  return ConnectError.from(error).code === Code.Unauthenticated;
}

/** True when a change was refused because the booking changed since it was read. */
export function isStaleEtag(error: unknown): boolean {
  return reasonOf(error) === "ETAG_MISMATCH";
}

/** A sentence for a person at the front desk: what went wrong and what to do. */
export function describeError(error: unknown): string {
  // The page's own checks throw plain errors whose message is already meant for people.
  if (!(error instanceof ConnectError) && error instanceof Error && error.name === "Error") return error.message;
  const connectError = ConnectError.from(error);
  const reason = reasonOf(connectError);
  if (connectError.code === Code.Unauthenticated) return "Wrong user name or password. Sign in again.";
  if (reason === "ETAG_MISMATCH") {
    return "Someone else changed this booking after you opened it, so your change was not made. Its current state is shown; check it and decide again.";
  }
  if (reason === "BOOKING_CHANGE_REFUSED") return `The change was refused: ${connectError.rawMessage}`;
  if (reason === "BOOKING_STATE_CONFLICT")
    return `This booking cannot be changed that way now: ${connectError.rawMessage}`;
  if (connectError.code === Code.Unavailable || connectError.code === Code.Unknown) {
    return "The server could not be reached or is unavailable. Check the connection and try again.";
  }
  return connectError.rawMessage || "Something went wrong. Try again.";
}
