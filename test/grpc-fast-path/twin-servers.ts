import type { BookingServiceImpl } from "../../src/rpc/booking-service-impl.js";
import { createServer } from "../../src/server/create-server.js";
import { createLogSink } from "../support/log-sink.js";
import { basicAuth, testCredential } from "../support/test-server.js";

/** One of the twins: where it listens and what it logged. */
export interface TwinServer {
  url: string;
  port: number;
  /** Parsed log lines written so far. */
  logLines(): Record<string, unknown>[];
  close(): Promise<void>;
}

/** Two servers with the same handlers and options: gRPC through the fast path, and through connect-node. */
export interface TwinServers {
  fast: TwinServer;
  connect: TwinServer;
  authHeader: string;
  close(): Promise<void>;
}

async function startTwin(handlers: Partial<BookingServiceImpl>, grpcFastPath: boolean): Promise<TwinServer> {
  const log = createLogSink();
  const server = createServer({ logger: log.logger, credentials: [testCredential], handlers, grpcFastPath });
  const { url, port } = await server.listen(0, "127.0.0.1");
  return {
    url,
    port,
    logLines: log.lines,
    close: () => server.close(1_000),
  };
}

/** Starts the twins on random ports of 127.0.0.1. */
export async function startTwinServers(handlers: Partial<BookingServiceImpl>): Promise<TwinServers> {
  const [fast, connect] = await Promise.all([startTwin(handlers, true), startTwin(handlers, false)]);
  return {
    fast,
    connect,
    authHeader: basicAuth(testCredential),
    close: async () => {
      await Promise.all([fast.close(), connect.close()]);
    },
  };
}
