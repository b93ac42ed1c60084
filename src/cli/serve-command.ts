import { parseArgs } from "node:util";
import { startApp } from "../app.js";
import { parseCalendarRootUrl } from "../calendar/calendar-root-url.js";
import { createLogger, type LogFormat, logLevels } from "../logger.js";
import { type NotifyOptions, notifyArgOptions, notifyArgUsage, readNotifyOptions } from "../notify/notify-options.js";
import { parseCorsOrigin } from "../server/cors.js";
import { parseCredentials } from "../server/credentials.js";
import {
  type LimitOptions,
  limitArgOptions,
  limitArgUsage,
  readLimitOptions,
  readOptionFile,
} from "../server/limit-options.js";
import { defaultDatabase, resolveDatabaseUrl } from "./cli-io.js";
import { describeStartFailure, noteNewDatabaseFiles, probePort } from "./start-failure.js";

const usage = `Usage: booking-server serve [options]

Serves gRPC, gRPC-Web, Connect and Google's REST /v3 mapping on one port.

Options (environment variable in brackets):
  --host HOST            address to bind (BOOKING_HOST; default 127.0.0.1)
  --port PORT            port to bind, 0 for any (BOOKING_PORT; default 8080)
  --db PATH|URL          SQLite database file, or a postgres:// URL to run several replicas on one
                         PostgreSQL database (BOOKING_DB; default ${defaultDatabase})
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
  --cors-origin ORIGIN   let pages of this origin call from a browser (Connect, gRPC-Web, REST);
                         repeat it or separate origins with commas; * for any
                         (BOOKING_CORS_ORIGINS; default none: CORS off)
  --demo                 load the demo inventory into an empty database and, without
                         --credentials, accept the demo credential demo:demo-password; without
                         --admin-credentials, accept the admin (console) credential
                         front-desk:demo-console
${notifyArgUsage}${limitArgUsage}  --log-level LEVEL      fatal, error, warn, info, debug, trace or silent (LOG_LEVEL; default info)
  --log-format FORMAT    json (one object a line) or pretty (readable lines) (LOG_FORMAT;
                         default pretty when stdout is a terminal, else json)
  -h, --help             show this help
`;

/** The demo credential `npm start` accepts when no credentials file is given. */
export const demoCredential = "demo:demo-password";
/** The demo admin credential `npm start` accepts (for the console) when no admin credentials file is given. */
export const demoAdminCredential = "front-desk:demo-console";

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
      "log-format": { type: "string" },
      "cors-origin": { type: "string", multiple: true },
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
  const level = values["log-level"] ?? env.LOG_LEVEL ?? "info";
  if (!(logLevels as readonly string[]).includes(level)) {
    const source = values["log-level"] === undefined ? "LOG_LEVEL" : "--log-level";
    process.stderr.write(`booking-server serve: ${source} ${level} is not a level; use ${logLevels.join(", ")}\n`);
    return 2;
  }
  const format = values["log-format"] ?? env.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json");
  if (format !== "json" && format !== "pretty") {
    process.stderr.write(`booking-server serve: --log-format is json or pretty, not ${format}\n`);
    return 2;
  }
  const logger = createLogger({ level, format: format satisfies LogFormat });
  const credentialsFile = values.credentials ?? env.BOOKING_CREDENTIALS_FILE;
  const credentials = credentialsFile
    ? parseCredentials(readOptionFile("--credentials", credentialsFile))
    : values.demo
      ? [demoCredential]
      : [];
  if (credentials.length === 0) {
    process.stderr.write(
      credentialsFile
        ? `booking-server serve: the credentials file ${credentialsFile} has no user:password line; add one per line\n`
        : "booking-server serve: no credentials; pass --credentials FILE (or --demo)\n",
    );
    return 2;
  }
  const adminCredentialsFile = values["admin-credentials"] ?? env.BOOKING_ADMIN_CREDENTIALS_FILE;
  const adminCredentials = adminCredentialsFile
    ? parseCredentials(readOptionFile("--admin-credentials", adminCredentialsFile))
    : values.demo
      ? [demoAdminCredential]
      : [];
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
  let corsOrigins: string[];
  let notify: NotifyOptions | undefined;
  try {
    notify = readNotifyOptions(values, env);
    limits = readLimitOptions(values, env);
    corsOrigins = (values["cors-origin"] ?? [env.BOOKING_CORS_ORIGINS ?? ""])
      .flatMap((list) => list.split(","))
      .filter((origin) => origin.trim() !== "")
      .map(parseCorsOrigin);
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
  const tls =
    certFile && keyFile
      ? { cert: readOptionFile("--tls-cert", certFile, null), key: readOptionFile("--tls-key", keyFile, null) }
      : undefined;
  const target = {
    host: values.host ?? env.BOOKING_HOST ?? "127.0.0.1",
    port,
    db: resolveDatabaseUrl(values.db),
  };
  // A start that fails (a busy port, an unusable database) says why in one line and removes what it created.
  const created = noteNewDatabaseFiles(target.db);
  const failed = (error: unknown): undefined => {
    created.removeNew();
    process.stderr.write(`booking-server serve: ${describeStartFailure(error, target)}\n`);
  };
  const portFree = await probePort(target.host, port).then(() => true, failed);
  if (!portFree) return 1;
  const app = await startApp({
    ...limits,
    logger,
    host: target.host,
    port,
    credentials,
    adminCredentials,
    ...(notify ? { notify } : {}),
    database: target.db,
    demo: values.demo,
    synchronous: durability === "normal" ? "NORMAL" : "FULL",
    calendarSync: {
      ...(calendarRootUrl ? { rootUrl: calendarRootUrl } : {}),
    },
    tls,
    corsOrigins,
  }).catch(failed);
  if (!app) return 1;
  logger.info({ url: app.url }, "listening");
  process.stderr.write(`booking-server listening on ${app.url}\n`);
  if (values.demo && !credentialsFile) {
    const auth = Buffer.from(demoCredential).toString("base64");
    process.stderr.write(`try: curl -s -H 'Authorization: Basic ${auth}' ${app.url}/v3/HealthCheck\n`);
  }
  if (adminCredentials.length > 0) {
    const signIn =
      values.demo && !adminCredentialsFile ? ` (sign in as ${demoAdminCredential.replace(":", " / ")})` : "";
    process.stderr.write(`merchant console: ${app.url}/console/${signIn}\n`);
  }
  // Every failure while serving a request is contained in that request. An exception that still
  // reaches the process comes from outside any request (a timer, a worker): its state is unknown, so
  // the server logs it, drains briefly and exits non-zero for a supervisor to restart it.
  let crashed = false;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      process.off("uncaughtException", crash);
      resolve();
    };
    const crash = (error: unknown): void => {
      crashed = true;
      logger.fatal({ err: error }, "unexpected error outside any request; stopping");
      stop();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    process.on("uncaughtException", crash);
  });
  logger.info("shutting down");
  await app.close(crashed ? 2_000 : undefined);
  return crashed ? 1 : 0;
}
