import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startApp } from "../app.js";
import { parseCalendarRootUrl } from "../calendar/calendar-root-url.js";
import { createLogger } from "../logger.js";
import { type NotifyOptions, notifyArgOptions, notifyArgUsage, readNotifyOptions } from "../notify/notify-options.js";
import { parseCredentials } from "../server/credentials.js";
import { type LimitOptions, limitArgOptions, limitArgUsage, readLimitOptions } from "../server/limit-options.js";
import { resolveDatabaseUrl } from "../store/open-storage.js";

const usage = `Usage: booking-server serve [options]

Serves gRPC, gRPC-Web, Connect and Google's REST /v3 mapping on one port.

Options (environment variable in brackets):
  --host HOST            address to bind (BOOKING_HOST; default 127.0.0.1)
  --port PORT            port to bind, 0 for any (BOOKING_PORT; default 8080)
  --db PATH|URL          SQLite database file, or a postgres:// URL to run several replicas on one
                         PostgreSQL database (BOOKING_DB; default ./data/booking.db)
  --credentials FILE     one user:password per line, or [aggregator] user:password to give
                         several lines (a password rotation) one aggregator: its bookings, user ids
                         and idempotency tokens (BOOKING_CREDENTIALS_FILE)
  --admin-credentials FILE
                         credentials of the merchant's AdminService, same format; aggregator
                         credentials are refused on it, and these on BookingService
                         (BOOKING_ADMIN_CREDENTIALS_FILE; without it every admin call is refused)
  --tls-cert FILE        PEM certificate: serve HTTPS, h2 and http/1.1 via ALPN (BOOKING_TLS_CERT)
  --tls-key FILE         PEM private key for --tls-cert (BOOKING_TLS_KEY)
  --durability MODE      full (default): an acknowledged booking survives a power loss;
                         normal: it survives a process crash (BOOKING_DURABILITY)
  --demo                 load the demo inventory into an empty database and, without
                         --credentials, accept the demo credential demo:demo-password
${notifyArgUsage}${limitArgUsage}  --log-level LEVEL      pino level (LOG_LEVEL; default info)
  -h, --help             show this help
`;

/** The demo credential `npm start` accepts when no credentials file is given. */
export const demoCredential = "demo:demo-password";

/** `booking-server serve`: starts the server and stops it gracefully on SIGTERM or SIGINT. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      db: { type: "string" },
      credentials: { type: "string" },
      "admin-credentials": { type: "string" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      demo: { type: "boolean", default: false },
      durability: { type: "string" },
      "log-level": { type: "string" },
      ...limitArgOptions,
      ...notifyArgOptions,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const env = process.env;
  const logger = createLogger({ level: values["log-level"] ?? env.LOG_LEVEL });
  const credentialsFile = values.credentials ?? env.BOOKING_CREDENTIALS_FILE;
  const credentials = credentialsFile
    ? parseCredentials(readFileSync(credentialsFile, "utf8"))
    : values.demo
      ? [demoCredential]
      : [];
  if (credentials.length === 0) {
    process.stderr.write("booking-server serve: no credentials; pass --credentials FILE (or --demo)\n");
    return 2;
  }
  const adminCredentialsFile = values["admin-credentials"] ?? env.BOOKING_ADMIN_CREDENTIALS_FILE;
  const adminCredentials = adminCredentialsFile ? parseCredentials(readFileSync(adminCredentialsFile, "utf8")) : [];
  const certFile = values["tls-cert"] ?? env.BOOKING_TLS_CERT;
  const keyFile = values["tls-key"] ?? env.BOOKING_TLS_KEY;
  if (Boolean(certFile) !== Boolean(keyFile)) {
    process.stderr.write("booking-server serve: --tls-cert and --tls-key go together\n");
    return 2;
  }
  const port = Number(values.port ?? env.BOOKING_PORT ?? "8080");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`booking-server serve: invalid port ${values.port}\n`);
    return 2;
  }
  let limits: LimitOptions;
  let calendarRootUrl: string | undefined;
  let notify: NotifyOptions | undefined;
  try {
    notify = readNotifyOptions(values, env);
    limits = readLimitOptions(values, env);
    const rootUrl = env.BOOKING_CALENDAR_ROOT_URL;
    calendarRootUrl = rootUrl ? parseCalendarRootUrl(rootUrl, "BOOKING_CALENDAR_ROOT_URL") : undefined;
  } catch (error) {
    process.stderr.write(`booking-server serve: ${(error as Error).message}\n`);
    return 2;
  }
  const durability = (values.durability ?? env.BOOKING_DURABILITY ?? "full").toLowerCase();
  if (durability !== "full" && durability !== "normal") {
    process.stderr.write(`booking-server serve: --durability is full or normal, not ${durability}\n`);
    return 2;
  }
  const app = await startApp({
    ...limits,
    logger,
    host: values.host ?? env.BOOKING_HOST ?? "127.0.0.1",
    port,
    credentials,
    adminCredentials,
    ...(notify ? { notify } : {}),
    database: resolveDatabaseUrl(values.db),
    demo: values.demo,
    synchronous: durability === "normal" ? "NORMAL" : "FULL",
    calendarSync: {
      ...(calendarRootUrl ? { rootUrl: calendarRootUrl } : {}),
    },
    tls: certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : undefined,
  });
  logger.info({ url: app.url }, "listening");
  process.stderr.write(`booking-server listening on ${app.url}\n`);
  if (values.demo && !credentialsFile) {
    const auth = Buffer.from(demoCredential).toString("base64");
    process.stderr.write(`try: curl -s -H 'Authorization: Basic ${auth}' ${app.url}/v3/HealthCheck\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  logger.info("shutting down");
  await app.close();
  return 0;
}
