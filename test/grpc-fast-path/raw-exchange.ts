import http2 from "node:http2";

/** Everything an HTTP/2 exchange put on the wire, minus what differs on every call (date, request id). */
export interface RawExchange {
  headers: Record<string, unknown>;
  trailers: Record<string, unknown>;
  body: string;
}

const comparable = (headers: http2.IncomingHttpHeaders): Record<string, unknown> => {
  const { date: _date, "x-request-id": requestId, ...rest } = headers;
  return { ...rest, ...(requestId ? { "x-request-id": "(set)" } : {}) };
};

/** Sends one request with exactly these headers and body bytes, and collects the answer. */
export async function rawExchange(
  url: string,
  headers: http2.OutgoingHttpHeaders,
  body: Uint8Array,
): Promise<RawExchange> {
  const session = http2.connect(url);
  try {
    const stream = session.request({ ":method": "POST", te: "trailers", ...headers });
    const answer: RawExchange = { headers: {}, trailers: {}, body: "" };
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      answer.headers = comparable(h);
    });
    stream.on("trailers", (t) => {
      answer.trailers = comparable(t);
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.end(body);
    await new Promise((resolve) => stream.once("close", resolve));
    answer.body = Buffer.concat(chunks).toString("hex");
    return answer;
  } finally {
    session.close();
  }
}
