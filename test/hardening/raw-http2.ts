import http2 from "node:http2";

/** Where an HTTP/2 request goes: `http://…` (h2c, prior knowledge) or `https://…` trusting `ca`. */
export interface Http2Target {
  url: string;
  ca?: Buffer;
}

/** A response the stream carried: status, headers, body, trailers, and how the stream ended. */
export interface Http2Response {
  kind: "response";
  status: number;
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: Buffer;
  rstCode: number;
}

/** What came back for one request over a fresh session. */
export type Http2Outcome =
  | Http2Response
  /** The stream (or session) was closed without a response. */
  | { kind: "reset"; rstCode: number; error?: string }
  /** Node's client refused to send these headers; nothing went on the wire. */
  | { kind: "unsendable"; error: string }
  | { kind: "timeout"; status?: number }
  | { kind: "aborted" };

/** How one request is sent. */
export interface Http2SendOptions {
  timeoutMs: number;
  /** Destroys the session and resolves `aborted` (the server process crashed). */
  signal?: AbortSignal;
}

/** Sends one request with exactly these headers (as far as node's client allows) and `body`, then ends the stream. */
export function sendHttp2(
  target: Http2Target,
  headers: http2.OutgoingHttpHeaders,
  body: Buffer,
  options: Http2SendOptions,
): Promise<Http2Outcome> {
  return new Promise((resolve) => {
    const session = http2.connect(target.url, target.ca ? { ca: target.ca } : {});
    let done = false;
    let response: Http2Response | undefined;
    const finish = (outcome: Http2Outcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      session.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: "aborted" });
    options.signal?.addEventListener("abort", onAbort);
    if (options.signal?.aborted) return onAbort();
    const timer = setTimeout(
      () => finish(response ? { kind: "timeout", status: response.status } : { kind: "timeout" }),
      options.timeoutMs,
    );
    session.on("error", (error) => finish({ kind: "reset", rstCode: -1, error: error.message }));
    session.on("close", () => finish(response ?? { kind: "reset", rstCode: -1, error: "session closed" }));
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(headers, { endStream: false });
    } catch (error) {
      return finish({ kind: "unsendable", error: (error as Error).message });
    }
    const chunks: Buffer[] = [];
    stream.on("response", (head) => {
      response = {
        kind: "response",
        status: Number(head[":status"]),
        headers: head,
        trailers: {},
        body: Buffer.alloc(0),
        rstCode: 0,
      };
    });
    stream.on("trailers", (trailers) => {
      if (response) response.trailers = trailers;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", () => {
      // The close below reports how the stream ended.
    });
    stream.on("close", () => {
      if (!response) return finish({ kind: "reset", rstCode: stream.rstCode ?? -1 });
      response.body = Buffer.concat(chunks);
      response.rstCode = stream.rstCode ?? 0;
      finish(response);
    });
    stream.end(body);
  });
}
