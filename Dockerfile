# syntax=docker/dockerfile:1
# booking-server in a container: one port (8080) for gRPC, gRPC-Web, Connect and REST /v3, the
# SQLite database in the /data volume, run as the unprivileged `node` user. See README, "Container".
#   docker build -t booking-server .
#   docker run --rm -p 8080:8080 booking-server serve --demo

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    BOOKING_HOST=0.0.0.0 \
    BOOKING_PORT=8080 \
    BOOKING_DB=/data/booking.db \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY gen ./gen
COPY openapi ./openapi
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "bin/container-healthcheck.js"]
# Exec form: node is PID 1 and receives SIGTERM itself, then drains and closes the database. A 32 MB
# young generation (V8's default is 16) cuts garbage collection on large lookups (README, Operations).
ENTRYPOINT ["node", "--max-semi-space-size=32", "bin/booking-server.js"]
CMD ["serve"]
