import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create, toJson } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { BookingClient, BookingClientOptions, CallOutcome } from "./booking-client.js";
import { basicAuthorization } from "./booking-client.js";
import { statusNameOfCode } from "./status-codes.js";

/**
 * Creates a client speaking Connect (JSON over HTTP/1.1) or gRPC (HTTP/2, h2c for `http://`) to
 * `booking.partner.v3.BookingService` at the target.
 */
export function createRpcClient(protocol: "connect" | "grpc", options: BookingClientOptions): BookingClient {
  const baseUrl = options.target.replace(/\/+$/, "");
  let sessions: Http2SessionManager | undefined;
  let transport: Transport;
  if (protocol === "connect") {
    transport = createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false });
  } else {
    // Our own session manager, so close() can end the HTTP/2 connection and let the process exit.
    sessions = new Http2SessionManager(baseUrl);
    transport = createGrpcTransport({ baseUrl, sessionManager: sessions });
  }
  const header: Record<string, string> = {};
  if (options.credentials) header.authorization = basicAuthorization(options.credentials);

  return {
    protocol,
    async call<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      request: MessageInitShape<I>,
    ): Promise<CallOutcome<MessageShape<O>>> {
      const call = `${protocol} ${method.parent.name}/${method.name}`;
      const sent = toJson(method.input, create(method.input, request), jsonOptions);
      const started = performance.now();
      try {
        const response = await transport.unary(method, undefined, options.timeoutMs, header, request);
        const message = response.message;
        return {
          ok: true,
          message,
          replayed: response.header.get("idempotent-replayed") === "true",
          exchange: {
            call,
            request: sent,
            status: "OK",
            response: toJson(method.output, message, jsonOptions),
            durationMs: performance.now() - started,
          },
        };
      } catch (thrown) {
        const error = ConnectError.from(thrown);
        const code = statusNameOfCode(error.code);
        return {
          ok: false,
          error: { code, message: error.rawMessage },
          exchange: {
            call,
            request: sent,
            status: code,
            response: { code, message: error.rawMessage },
            durationMs: performance.now() - started,
          },
        };
      }
    },
    close() {
      sessions?.abort();
    },
  };
}

const jsonOptions = { useProtoFieldName: true } as const;
