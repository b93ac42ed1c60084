import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UserInformationSchema } from "../../gen/booking/partner/v3/user_pb.js";
import type { BookingClient, Exchange, Protocol } from "./booking-client.js";
import type { BookingLedger } from "./booking-ledger.js";
import type { RawHttp } from "./raw-http.js";
import type { SlotPool } from "./slot-pool.js";

/** One named conformance check; it passes when `run` resolves. */
export interface Check {
  /** Stable kebab-case name, used by `--only` and in reports. */
  readonly name: string;
  /** One sentence saying what the server must do. */
  readonly description: string;
  /** Whether the check needs slots from `--feed`. */
  readonly needsFeed: boolean;
  run(ctx: CheckContext): Promise<void>;
}

/** What a check may use: clients, the run's slots, and helpers for unique users and tokens. */
export interface CheckContext {
  /** A client over the chosen protocol with the run's credentials; it records every booking it sees. */
  readonly client: BookingClient;
  /** Raw HTTP to the REST surface, whatever the protocol. */
  readonly http: RawHttp;
  readonly protocol: Protocol;
  readonly credentials: string | undefined;
  /** `--slots`: how many slots the per-slot checks cover. */
  readonly slotCount: number;
  readonly pool: SlotPool;
  readonly ledger: BookingLedger;
  /** A client over the chosen protocol with other credentials (`null`: none); closed after the check. */
  clientWith(credentials: string | null): BookingClient;
  /** A user unique to this run, e.g. `user("replay")`. */
  user(label: string): MessageInitShape<typeof UserInformationSchema> & { userId: string };
  /** An idempotency token unique to this run. */
  token(label: string): string;
  /**
   * Runs `make` once per run and shares the result with every check asking for `owner`; a failure is
   * rethrown as a {@link SetupError} naming `owner`.
   */
  setup<T>(owner: string, make: () => Promise<T>): Promise<T>;
  /** Adds an informational line to the check's result. */
  note(text: string): void;
}

/** Details shown under a failed check. */
export interface FailureDetails {
  /** What the server should have done. */
  readonly expected?: string;
  /** The request and answer that showed the problem. */
  readonly exchange?: Exchange;
}

/** A check's verdict that the server broke the contract. */
export class CheckFailure extends Error {
  override readonly name = "CheckFailure";
  constructor(
    message: string,
    readonly details: FailureDetails = {},
  ) {
    super(message);
  }
}

/** A check that cannot run against this server or feed, with the reason. */
export class CheckSkipped extends Error {
  override readonly name = "CheckSkipped";
}

/** Shared setup owned by another check failed; `cause` is what it threw. */
export class SetupError extends Error {
  override readonly name = "SetupError";
  constructor(
    readonly owner: string,
    override readonly cause: unknown,
  ) {
    super(`setup by ${owner} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
