import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { StatusName } from "./status-codes.js";

/** The wire protocols the harness can speak to a Booking Server. */
export type Protocol = "rest" | "connect" | "grpc";

/** The protocols in the order `--protocol` lists them. */
export const protocols: readonly Protocol[] = ["rest", "connect", "grpc"];

/** The unary methods of `booking.partner.v3.BookingService`, e.g. `rpc.createBooking`. */
export const rpc = BookingService.method;

/** One request and its answer as seen on the wire, kept so a failed check can show both. */
export interface Exchange {
  /** `POST /v3/CreateBooking` for REST, `connect BookingService/CreateBooking` otherwise. */
  readonly call: string;
  /** The request as JSON (proto field names), or the raw text when it was not JSON. */
  readonly request?: unknown;
  /** `HTTP 200`, `OK`, a canonical status name, or `no response (...)`. */
  readonly status: string;
  /** The response body as JSON, or its raw text when it was not JSON. */
  readonly response?: unknown;
  readonly durationMs: number;
}

/** A transport-level failure: an HTTP error status or an RPC status other than OK. */
export interface CallError {
  /** The canonical status, or `MALFORMED_RESPONSE` when a success could not be decoded. */
  readonly code: StatusName | "MALFORMED_RESPONSE";
  /** The HTTP status of a REST answer (0 when no answer came). */
  readonly httpStatus?: number;
  readonly message: string;
}

/** The result of one call: the decoded response, or the error, always with the exchange. */
export type CallOutcome<T> =
  | { readonly ok: true; readonly message: T; readonly replayed: boolean; readonly exchange: Exchange }
  | { readonly ok: false; readonly error: CallError; readonly exchange: Exchange };

/** A Booking Server v3 client over one protocol that reports outcomes instead of throwing. */
export interface BookingClient {
  readonly protocol: Protocol;
  call<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
  ): Promise<CallOutcome<MessageShape<O>>>;
  /** Releases connections the client keeps open. */
  close(): void;
}

/** Options shared by every client implementation. */
export interface BookingClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  readonly target: string;
  /** `user:pass` for HTTP Basic; no Authorization header when undefined. */
  readonly credentials: string | undefined;
  readonly timeoutMs: number;
}

/** The `Authorization` header value for `user:pass`. */
export function basicAuthorization(credentials: string): string {
  return `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
}
