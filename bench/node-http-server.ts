// The ceiling of an HTTP/1.1 JSON route in Node: a bare node:http server, in its own process. No auth,
// no validation, no logging, no storage. It answers two routes:
// - any POST but the one below: reads the body and answers a small JSON body (the no-op ceiling);
// - POST /v3/BatchAvailabilityLookup: JSON.parse of the body, and JSON.stringify of an answer of the
//   same shape and size as ours (every asked slot time, available), the ceiling of that payload.
import http from "node:http";

const noop = Buffer.from('{"status":"ok"}');

interface LookupRequest {
  slot_time?: unknown[];
}

function lookupAnswer(text: string): string {
  const request = JSON.parse(text) as LookupRequest;
  const slotTimes = Array.isArray(request.slot_time) ? request.slot_time : [];
  return JSON.stringify({
    slot_time_availability: slotTimes.map((slotTime) => ({ slot_time: slotTime, available: true })),
  });
}

const server = http.createServer((req, res) => {
  const lookup = req.url === "/v3/BatchAvailabilityLookup";
  const chunks: Buffer[] = [];
  // Drain the request, as any real route has to, before answering.
  req.on("data", (chunk: Buffer) => {
    if (lookup) chunks.push(chunk);
  });
  req.on("end", () => {
    const body = lookup ? lookupAnswer(Buffer.concat(chunks).toString("utf8")) : noop;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`node:http server listening on http://127.0.0.1:${port}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close();
  });
}
