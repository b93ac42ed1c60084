import { Code } from "@connectrpc/connect";

/** How one error reason travels: its gRPC code, its REST status, and whether a client should retry. */
export interface ErrorReasonSpec {
  code: Code;
  httpStatus: number;
  retry: boolean;
  /** What a client should do, for the README table and for humans reading the message. */
  advice: string;
}

/**
 * The registry of every error reason this server sends. `google.rpc.ErrorInfo.reason` carries the
 * key; the README's error table is this object.
 */
export const errorReasons = {
  INVALID_ARGUMENT: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Fix the field named in the violation and send again.",
  },
  MALFORMED_JSON: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Send a JSON object that matches the request message.",
  },
  MALFORMED_PROTOBUF: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Send one serialized request message of the method's input type (one length-prefixed frame on gRPC).",
  },
  MALFORMED_REQUEST: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Send a well-formed HTTP request: a valid Host (or :authority), path and deadline header.",
  },
  IDEMPOTENCY_TOKEN_REUSED: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Use a new idempotency_token for a different request; replay only identical requests.",
  },
  BOOKING_NOT_FOUND: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Check booking_id; it must come from a CreateBooking answer of this server.",
  },
  ETAG_MISMATCH: {
    code: Code.FailedPrecondition,
    httpStatus: 412,
    retry: false,
    advice: "The booking or slot changed since it was read: read it again, then decide again with its new etag.",
  },
  BOOKING_STATE_CONFLICT: {
    code: Code.FailedPrecondition,
    httpStatus: 409,
    retry: false,
    advice: "The booking's status does not allow this change (e.g. a cancelled booking cannot be a no-show).",
  },
  BOOKING_CHANGE_REFUSED: {
    code: Code.FailedPrecondition,
    httpStatus: 409,
    retry: false,
    advice: "The change breaks a booking rule; ErrorInfo.metadata.cause names it (e.g. SLOT_UNAVAILABLE).",
  },
  SYNC_TOKEN_EXPIRED: {
    code: Code.FailedPrecondition,
    httpStatus: 410,
    retry: false,
    advice: "The sync token is too old: list again without it (a full sync) and keep the new token.",
  },
  NOTIFICATION_NOT_FOUND: {
    code: Code.NotFound,
    httpStatus: 404,
    retry: false,
    advice: "Check notification_id; it must come from ListNotifications.",
  },
  SLOT_NOT_FOUND: {
    code: Code.NotFound,
    httpStatus: 404,
    retry: false,
    advice: "Check the slot's merchant, service, start, duration, staff, room and party size (ListSlots).",
  },
  BLOCK_NOT_FOUND: {
    code: Code.NotFound,
    httpStatus: 404,
    retry: false,
    advice: "Check block_id; it must come from AddBlock or ListBlocks.",
  },
  CREDENTIALS_MISSING: {
    code: Code.Unauthenticated,
    httpStatus: 401,
    retry: false,
    advice: "Send HTTP Basic credentials in the Authorization header.",
  },
  CREDENTIALS_INVALID: {
    code: Code.Unauthenticated,
    httpStatus: 401,
    retry: false,
    advice: "Check the user name and password configured for this endpoint.",
  },
  METHOD_NOT_FOUND: {
    code: Code.NotFound,
    httpStatus: 404,
    retry: false,
    advice: "Call one of the methods of booking.partner.v3.BookingService (e.g. POST /v3/CreateBooking).",
  },
  HTTP_METHOD_NOT_ALLOWED: {
    // As gRPC-transcoding gateways answer an HTTP verb a path does not take: 405 and UNIMPLEMENTED.
    code: Code.Unimplemented,
    httpStatus: 405,
    retry: false,
    advice: "Use GET for /v3/HealthCheck and POST for every other method.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    code: Code.InvalidArgument,
    httpStatus: 415,
    retry: false,
    advice: "Send Content-Type: application/json.",
  },
  BODY_TOO_LARGE: {
    code: Code.ResourceExhausted,
    httpStatus: 413,
    retry: false,
    advice: "Send a smaller request body; the limit is in the message.",
  },
  TOO_MANY_SLOTS: {
    code: Code.InvalidArgument,
    httpStatus: 400,
    retry: false,
    advice: "Split the lookup into several requests under the slot_time limit.",
  },
  RATE_LIMITED: {
    code: Code.ResourceExhausted,
    httpStatus: 429,
    retry: true,
    advice: "Wait for the Retry-After delay (google.rpc.RetryInfo), then retry.",
  },
  DEADLINE_EXCEEDED: {
    code: Code.DeadlineExceeded,
    httpStatus: 504,
    retry: true,
    advice: "Retry with the same idempotency token; the call may or may not have taken effect.",
  },
  CANCELLED: {
    code: Code.Canceled,
    httpStatus: 499,
    retry: true,
    advice: "The caller went away before the answer; send the call again if its answer is still wanted.",
  },
  DATABASE_BUSY: {
    code: Code.Aborted,
    httpStatus: 409,
    retry: true,
    advice: "Retry the same request; a concurrent write held the store.",
  },
  DATABASE_UNAVAILABLE: {
    code: Code.Unavailable,
    httpStatus: 503,
    retry: true,
    advice: "Retry after the Retry-After delay with backoff; the store cannot be used right now.",
  },
  NOT_IMPLEMENTED: {
    code: Code.Unimplemented,
    httpStatus: 501,
    retry: false,
    advice: "This server does not offer the method (on gRPC: no such method or service at this path).",
  },
  INTERNAL: {
    code: Code.Internal,
    httpStatus: 500,
    retry: true,
    advice: "Retry with backoff; report the request id if it persists.",
  },
} as const satisfies Record<string, ErrorReasonSpec>;

/** One of the registered error reasons. */
export type ErrorReason = keyof typeof errorReasons;

/** The error domain sent in `google.rpc.ErrorInfo.domain` and Google's `errors[].domain`. */
export const errorDomain = "booking";
