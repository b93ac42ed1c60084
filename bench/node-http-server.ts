// The ceiling of an HTTP/1.1 JSON route in Node: a bare node:http server, in its own process, that reads
// the request body and answers a small JSON body. No auth, no validation, no logging, no routing.
import http from "node:http";

const body = Buffer.from('{"status":"ok"}');
const server = http.createServer((req, res) => {
  // Drain the request, as any real route has to, before answering.
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
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
