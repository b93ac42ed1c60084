import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { dispatchFake, FakeBookingCore, type FakeFaults, type FakeSlot } from "./fake-booking-core.js";
import { fakeRpcRoutes } from "./fake-rpc-routes.js";

/** How to start the fake. */
export interface FakeBookingServerOptions {
  readonly inventory: readonly FakeSlot[];
  /** `user:pass` the fake accepts as HTTP Basic credentials. */
  readonly credentials: string;
  readonly faults?: FakeFaults;
  /** Answer CheckAvailability with 501 / UNIMPLEMENTED, as servers without the legacy method do. */
  readonly withoutCheckAvailability?: boolean;
  /**
   * Also serve `booking.partner.v3.BookingService`: `http1` adds Connect next to REST on HTTP/1.1,
   * `h2c` serves Connect and gRPC on cleartext HTTP/2 with no REST.
   */
  readonly rpc?: "http1" | "h2c";
}

/** A running fake; `close()` ends every connection. */
export interface FakeBookingServer {
  readonly url: string;
  readonly core: FakeBookingCore;
  close(): Promise<void>;
}

const httpStatusOf: Partial<Record<Code, [number, string]>> = {
  [Code.InvalidArgument]: [400, "INVALID_ARGUMENT"],
  [Code.Unauthenticated]: [401, "UNAUTHENTICATED"],
  [Code.NotFound]: [404, "NOT_FOUND"],
  [Code.Unimplemented]: [501, "UNIMPLEMENTED"],
};

/** Starts an in-memory Booking Server v3 on 127.0.0.1, port 0. */
export async function startFakeBookingServer(options: FakeBookingServerOptions): Promise<FakeBookingServer> {
  const core = new FakeBookingCore(options.inventory, options.faults);
  const authorized = (header: string | null | undefined) =>
    options.faults?.ignoresAuth === true || header === `Basic ${Buffer.from(options.credentials).toString("base64")}`;
  const rest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    serveRest(core, options, authorized, req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, "INTERNAL", "internal error");
      else res.destroy();
    });
  };
  const routes = fakeRpcRoutes(core, authorized, options.withoutCheckAvailability);
  // The fallback only ever runs on the HTTP/1.1 server, so its request is an IncomingMessage.
  const fallback = (req: unknown, res: unknown) => rest(req as http.IncomingMessage, res as http.ServerResponse);
  const server =
    options.rpc === "h2c"
      ? http2.createServer(connectNodeAdapter({ routes }))
      : http.createServer(options.rpc === "http1" ? connectNodeAdapter({ routes, fallback }) : rest);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    core,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if (server instanceof http.Server) server.closeAllConnections();
        for (const session of sessions) session.destroy();
      }),
  };
}

async function serveRest(
  core: FakeBookingCore,
  options: FakeBookingServerOptions,
  authorized: (header: string | undefined) => boolean,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  if (!authorized(req.headers.authorization)) {
    res.setHeader("www-authenticate", 'Basic realm="booking"');
    return sendError(res, 401, "UNAUTHENTICATED", "missing or wrong credentials");
  }
  const path = (req.url ?? "").split("?")[0]?.toLowerCase().replace(/\/$/, "");
  const method = BookingService.methods.find((m) => `/v3/${m.name.toLowerCase()}` === path);
  if (!method) return sendError(res, 404, "NOT_FOUND", `no method at ${req.url}`);
  if (method.name === "HealthCheck") return send(res, 200, {});
  if (req.method !== "POST") return sendError(res, 404, "NOT_FOUND", `${req.method} ${req.url} is not served`);
  let json: unknown;
  try {
    json = body === "" ? {} : JSON.parse(body);
  } catch {
    if (options.faults?.["500OnBadJson"]) {
      res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      return;
    }
    return sendError(res, 400, "INVALID_ARGUMENT", "the body is not JSON");
  }
  try {
    const request = fromJson(method.input, json as JsonValue, { ignoreUnknownFields: true });
    const { message, replayed } = dispatchFake(core, method.name, request, options.withoutCheckAvailability);
    if (replayed) res.setHeader("idempotent-replayed", "true");
    send(res, 200, toJson(method.output, message, { useProtoFieldName: true }));
  } catch (error) {
    const connectError = ConnectError.from(error, Code.InvalidArgument);
    const [status, name] = httpStatusOf[connectError.code] ?? [500, "INTERNAL"];
    sendError(res, status, name, connectError.rawMessage);
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, status: number, name: string, message: string): void {
  send(res, status, { error: { code: status, message, status: name } });
}
