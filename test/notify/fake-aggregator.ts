import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createFakeTokenEndpoint } from "../calendar/fake-token-endpoint.js";

/** A planned answer to the next update request: an HTTP error (with Retry-After) or no answer at all. */
export type PlannedAnswer = { status: number; retryAfterSec?: number } | "hang";

/** One update request the fake received, and what it answered. */
export interface ReceivedUpdate {
  method: string;
  path: string;
  updateMask: string | null;
  body: Record<string, unknown>;
  answer: number | "hang";
}

const googleStatus: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/**
 * The Maps Booking API as a real HTTP server on 127.0.0.1: Google's token endpoint (JWT-bearer grant of
 * one service account, RS256 checked), `PATCH /v1alpha/notification/partners/{p}/bookings/{b}` and
 * `POST /v1alpha/inventory/partners/{p}/availability:replace`, answering with Google's JSON error bodies
 * as planned, then 200 with the resource.
 */
export async function startFakeAggregator(partnerId: string) {
  const token = createFakeTokenEndpoint("mapsbooking");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const clientEmail = "rtu@partner.iam.gserviceaccount.com";
  token.addServiceAccount(clientEmail, publicKey.export({ type: "spki", format: "pem" }).toString());
  const plan: PlannedAnswer[] = [];
  let down = false;
  const received: ReceivedUpdate[] = [];
  const hanging = new Set<ServerResponse>();
  const paths = new RegExp(
    `^/v1alpha/(notification/partners/${partnerId}/bookings/[^/]+|inventory/partners/${partnerId}/availability:replace)$`,
  );

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, status: number, headers: Record<string, string> = {}) =>
    sendJson(
      res,
      status,
      { error: { code: status, message: `planned ${status}`, status: googleStatus[status] ?? "UNKNOWN" } },
      headers,
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/token") {
      const answer = token.handle(new URLSearchParams(text));
      return sendJson(res, answer.status, answer.body);
    }
    if (!paths.test(url.pathname)) return sendError(res, 404);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer || !token.isValidAccessToken(bearer)) return sendError(res, 401);
    const record = (answer: number | "hang") =>
      received.push({
        method: req.method ?? "",
        path: url.pathname,
        updateMask: url.searchParams.get("updateMask"),
        body: JSON.parse(text) as Record<string, unknown>,
        answer,
      });
    const planned = down ? { status: 503 } : plan.shift();
    if (planned === "hang") {
      record("hang");
      hanging.add(res);
      return;
    }
    if (planned) {
      record(planned.status);
      return sendError(
        res,
        planned.status,
        planned.retryAfterSec ? { "retry-after": String(planned.retryAfterSec) } : {},
      );
    }
    record(200);
    return sendJson(res, 200, JSON.parse(text));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendError(res, 500));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    /** Answers the next update requests as planned, in order. */
    plan: (...answers: PlannedAnswer[]) => void plan.push(...answers),
    received,
    /** While down, every update request answers 503 (planned answers wait). */
    setDown: (value: boolean) => {
      down = value;
    },
    /** The updates answered 200, in arrival order. */
    accepted: () => received.filter((r) => r.answer === 200),
    /** Writes the service-account key (token_uri pointing here) into `dir`; returns its path. */
    writeKey(dir: string): string {
      const path = join(dir, "rtu-key.json");
      writeFileSync(
        path,
        JSON.stringify({
          type: "service_account",
          client_email: clientEmail,
          private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
          private_key_id: "key-1",
          token_uri: `${url}token`,
        }),
      );
      return path;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A started fake aggregator. */
export type FakeAggregator = Awaited<ReturnType<typeof startFakeAggregator>>;
