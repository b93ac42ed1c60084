import { create } from "@bufbuild/protobuf";
import { DurationSchema } from "@bufbuild/protobuf/wkt";
import { ConnectError } from "@connectrpc/connect";
import {
  type BadRequest_FieldViolation,
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "../../gen/google/rpc/error_details_pb.js";
import { type ErrorReason, errorDomain, errorReasons } from "./error-reasons.js";

/** One invalid field: its snake_case JSON path (`slot.start_sec`) and what is wrong with it. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** Extras an error may carry beyond its reason and message. */
export interface RpcErrorOptions {
  violations?: FieldViolation[];
  /** Seconds the client should wait before retrying; sent as RetryInfo and `Retry-After`. */
  retryAfterSec?: number;
  /** Extra `ErrorInfo.metadata` entries (never personal data or secrets). */
  metadata?: Record<string, string>;
}

/**
 * Builds the ConnectError for a registered reason, with `google.rpc.ErrorInfo` always,
 * `google.rpc.BadRequest` for field violations and `google.rpc.RetryInfo` when a retry delay is known.
 */
export function rpcError(reason: ErrorReason, message: string, options: RpcErrorOptions = {}): ConnectError {
  const spec = errorReasons[reason];
  const headers = new Headers();
  const details: NonNullable<ConstructorParameters<typeof ConnectError>[3]> = [
    {
      desc: ErrorInfoSchema,
      value: { reason, domain: errorDomain, metadata: options.metadata ?? {} },
    },
  ];
  if (options.violations && options.violations.length > 0) {
    details.push({
      desc: BadRequestSchema,
      value: { fieldViolations: options.violations.map((v) => ({ field: v.field, description: v.description })) },
    });
  }
  if (options.retryAfterSec !== undefined) {
    const seconds = Math.max(1, Math.ceil(options.retryAfterSec));
    details.push({
      desc: RetryInfoSchema,
      value: { retryDelay: create(DurationSchema, { seconds: BigInt(seconds) }) },
    });
    headers.set("retry-after", String(seconds));
  }
  if (spec.code === errorReasons.CREDENTIALS_INVALID.code) {
    headers.set("www-authenticate", 'Basic realm="booking-server", charset="UTF-8"');
  }
  return new ConnectError(message, spec.code, headers, details);
}

/** An INVALID_ARGUMENT error naming one field. */
export function invalidField(field: string, description: string): ConnectError {
  return invalidFields([{ field, description }]);
}

/** An INVALID_ARGUMENT error naming every invalid field at once. */
export function invalidFields(violations: FieldViolation[]): ConnectError {
  const message = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return rpcError("INVALID_ARGUMENT", message, { violations });
}

/** The registered reason an error carries, or undefined for errors this server did not build. */
export function reasonOf(error: ConnectError): ErrorReason | undefined {
  const info = error.findDetails(ErrorInfoSchema)[0];
  if (info && Object.hasOwn(errorReasons, info.reason)) {
    return info.reason as ErrorReason;
  }
  return undefined;
}

/** The field violations an error carries. */
export function violationsOf(error: ConnectError): BadRequest_FieldViolation[] {
  return error.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations);
}
