import { readFileSync } from "node:fs";
import { type AppConfig, type AppPorts, startApp } from "../../src/app.js";
import type { BookingServiceImpl } from "../../src/rpc/booking-service-impl.js";
import { parseCredentialLine } from "../../src/server/credentials.js";
import { createLogSink } from "./log-sink.js";

/** Options of a server started for one test file. */
export interface TestServerOptions extends Partial<Omit<AppConfig, "logger" | "host" | "port">> {
  handlers?: Partial<BookingServiceImpl>;
  /** Serve HTTPS with the self-signed certificate in test/fixtures. */
  tls?: AppConfig["tls"];
}

/** A real server on 127.0.0.1 and a random port, with its log lines captured. */
export interface TestServer {
  url: string;
  port: number;
  /** The app's storage and engine, when it was started with a database. */
  ports?: AppPorts;
  /** `Basic ...` for the first credential line. */
  authHeader: string;
  /** Every log line written so far, parsed. */
  logLines(): Record<string, unknown>[];
  /** Raw log output, to assert that nothing secret was written. */
  rawLog(): string;
  close(): Promise<void>;
}

export const testCredential = "partner:s3cret-Pa55";

/** Basic authorization header value for a `user:password` pair. */
export const basicAuth = (pair: string): string => `Basic ${Buffer.from(pair).toString("base64")}`;

/** Basic authorization header value for a credential line, `[aggregator] user:password` included. */
export function basicAuthOfLine(line: string): string {
  const { user, password } = parseCredentialLine(line);
  return basicAuth(`${user}:${password}`);
}

/** Reads the self-signed certificate (CN=localhost, 127.0.0.1) used by TLS tests. */
export function testTls(): { cert: Buffer; key: Buffer } {
  const dir = new URL("../fixtures/", import.meta.url);
  return { cert: readFileSync(new URL("tls-cert.pem", dir)), key: readFileSync(new URL("tls-key.pem", dir)) };
}

/** Starts the whole app on port 0 with a log sink; `close()` drains it and releases the store. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const log = createLogSink();
  const credentials = options.credentials ?? [testCredential];
  const { handlers, ...rest } = options;
  const app = await startApp({
    ...rest,
    logger: log.logger,
    host: "127.0.0.1",
    port: 0,
    credentials,
    handlerOverrides: handlers,
  });
  return {
    url: app.url,
    port: app.port,
    ...(app.ports ? { ports: app.ports } : {}),
    authHeader: credentials[0] ? basicAuthOfLine(credentials[0]) : basicAuth(""),
    logLines: log.lines,
    rawLog: log.raw,
    close: () => app.close(),
  };
}
