import type { DescMessage, DescMethodUnary, JsonValue, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create, fromJson, toJson } from "@bufbuild/protobuf";
import type { BookingClient, BookingClientOptions, CallOutcome } from "./booking-client.js";
import type { RawResponse } from "./raw-http.js";
import { createRawHttp } from "./raw-http.js";
import { statusNameOfHttp } from "./status-codes.js";

/**
 * Creates a client for the Booking Server v3 REST mapping: `GET /v3/HealthCheck`, `POST /v3/<Method>`
 * with snake_case proto3 JSON, exactly as Google sends it.
 */
export function createRestClient(options: BookingClientOptions): BookingClient {
  const http = createRawHttp(options);
  return {
    protocol: "rest",
    async call<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      request: MessageInitShape<I>,
    ): Promise<CallOutcome<MessageShape<O>>> {
      const path = `/v3/${method.name}`;
      // HealthCheck carries no body either way; any 200 means serving.
      const response =
        method.name === "HealthCheck"
          ? await http.send({ method: "GET", path })
          : await http.send({
              method: "POST",
              path,
              json: toJson(method.input, create(method.input, request), { useProtoFieldName: true }),
            });
      if (response.status !== 200) {
        return { ok: false, error: errorOf(response), exchange: response.exchange };
      }
      if (method.name === "HealthCheck") {
        return { ok: true, message: create(method.output), replayed: false, exchange: response.exchange };
      }
      try {
        if (response.json === undefined) throw new Error("the body is not JSON");
        const message = fromJson(method.output, response.json as JsonValue, { ignoreUnknownFields: true });
        const replayed = response.headers.get("idempotent-replayed") === "true";
        return { ok: true, message, replayed, exchange: response.exchange };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          ok: false,
          error: {
            code: "MALFORMED_RESPONSE",
            httpStatus: 200,
            message: `HTTP 200 body is not a ${method.output.typeName} in proto3 JSON: ${reason}`,
          },
          exchange: response.exchange,
        };
      }
    },
    close() {},
  };
}

function errorOf(response: RawResponse) {
  if (response.status === 0) {
    return { code: "UNAVAILABLE" as const, httpStatus: 0, message: response.networkError ?? "no response" };
  }
  return {
    code: statusNameOfHttp(response.status),
    httpStatus: response.status,
    message: googleErrorMessage(response.json) ?? (response.text.slice(0, 200) || `HTTP ${response.status}`),
  };
}

// Google's JSON error model: {"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}.
function googleErrorMessage(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" ? message : undefined;
}
