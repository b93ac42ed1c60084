import { createRegistry, type DescMessage, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { errorDomain, errorReasons } from "../contract/error-reasons.js";
import { reasonOf, violationsOf } from "../contract/errors.js";
import { codeName } from "./interceptors.js";

const statusByCode: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

const detailSchemas: DescMessage[] = [ErrorInfoSchema, BadRequestSchema, RetryInfoSchema];
const detailRegistry = createRegistry(...detailSchemas);

/** An error as Google's REST APIs send it. */
export interface RestError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const lowerCamel = (reason: string): string =>
  reason.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Renders a ConnectError in Google's JSON error model:
 * `{"error":{"code","message","status","errors":[{domain,reason,message,location,locationType}],"details":[...]}}`.
 */
export function toRestError(error: ConnectError): RestError {
  const reason = reasonOf(error);
  const status = reason ? errorReasons[reason].httpStatus : statusByCode[error.code];
  const violations = violationsOf(error);
  const errorReason = lowerCamel(reason ?? codeName(error.code));
  const errors =
    violations.length > 0
      ? violations.map((v) => ({
          domain: errorDomain,
          reason: errorReason,
          message: v.description,
          location: v.field,
          locationType: "parameter",
        }))
      : [{ domain: errorDomain, reason: errorReason, message: error.rawMessage }];
  const details = detailSchemas.flatMap((schema) =>
    error.findDetails(schema).map((detail) => ({
      "@type": `type.googleapis.com/${schema.typeName}`,
      ...(toJson(schema, detail, { registry: detailRegistry }) as object),
    })),
  );
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  error.metadata.forEach((value, key) => {
    headers[key] = value;
  });
  const body = {
    error: { code: status, message: error.rawMessage, status: codeName(error.code).toUpperCase(), errors, details },
  };
  return { status, headers, body: JSON.stringify(body) };
}

/** Wraps anything thrown into a ConnectError without exposing its message. */
export function asConnectError(thrown: unknown): ConnectError {
  return thrown instanceof ConnectError ? thrown : new ConnectError("internal error", Code.Internal);
}
