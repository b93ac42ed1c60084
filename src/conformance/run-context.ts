import { randomBytes } from "node:crypto";
import type { BookingClient, Protocol } from "./booking-client.js";
import type { BookingLedger } from "./booking-ledger.js";
import { createRecordingClient } from "./booking-ledger.js";
import type { CheckContext } from "./check.js";
import { SetupError } from "./check.js";
import type { RawHttp } from "./raw-http.js";
import type { SlotPool } from "./slot-pool.js";

/** Everything one run shares between its checks. */
export interface RunContextOptions {
  readonly runId: string;
  readonly protocol: Protocol;
  readonly credentials: string | undefined;
  readonly slotCount: number;
  readonly pool: SlotPool;
  readonly ledger: BookingLedger;
  readonly http: RawHttp;
  /** Makes a client over the run's protocol with the given credentials (undefined: none). */
  readonly connect: (credentials: string | undefined) => BookingClient;
}

/** A per-check context factory plus `close()` for the clients it opened. */
export interface RunContext {
  readonly runId: string;
  /** The context for one check; its notes go to `note`. */
  forCheck(note: (text: string) => void): { ctx: CheckContext; release(): void };
  /** The client with the run's credentials, for cleanup. */
  readonly client: BookingClient;
  close(): void;
}

/** A run id unique enough that reruns against the same server never share users or tokens. */
export function newRunId(): string {
  return `conf-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

/** Builds the shared state of a run: the recording client, memoised setups, users and tokens. */
export function createRunContext(options: RunContextOptions): RunContext {
  const client = options.connect(options.credentials);
  const recording = createRecordingClient(client, options.ledger);
  const setups = new Map<string, Promise<unknown>>();
  let sequence = 0;

  return {
    runId: options.runId,
    client,
    forCheck(note) {
      const opened: BookingClient[] = [];
      const ctx: CheckContext = {
        client: recording,
        http: options.http,
        protocol: options.protocol,
        credentials: options.credentials,
        slotCount: options.slotCount,
        pool: options.pool,
        ledger: options.ledger,
        clientWith(credentials) {
          const other = createRecordingClient(options.connect(credentials ?? undefined), options.ledger);
          opened.push(other);
          return other;
        },
        user(label) {
          const userId = `${options.runId}-${label}`;
          return {
            userId,
            givenName: "Conformance",
            familyName: "Check",
            telephone: "+1 650-555-0100",
            email: `${userId}@example.com`,
          };
        },
        token(label) {
          sequence += 1;
          return `${options.runId}-${label}-${sequence}`;
        },
        setup<T>(owner: string, make: () => Promise<T>): Promise<T> {
          let promise = setups.get(owner) as Promise<T> | undefined;
          if (!promise) {
            promise = make().catch((error: unknown) => {
              throw new SetupError(owner, error);
            });
            setups.set(owner, promise);
          }
          return promise;
        },
        note,
      };
      const release = () => {
        for (const other of opened) other.close();
      };
      return { ctx, release };
    },
    close: () => client.close(),
  };
}
