#!/usr/bin/env node
// The container's HEALTHCHECK: exits 0 when GET /healthz on this server's port answers 200, else 1.
// Plain JavaScript with no dependency, since the slim image has no curl.
const tls = Boolean(process.env.BOOKING_TLS_CERT);
// Liveness only: a certificate made for the public name need not match 127.0.0.1.
if (tls) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
const url = `${tls ? "https" : "http"}://127.0.0.1:${process.env.BOOKING_PORT || 8080}/healthz`;
fetch(url, { signal: AbortSignal.timeout(2_500) }).then(
  (res) => process.exit(res.status === 200 ? 0 : 1),
  () => process.exit(1),
);
