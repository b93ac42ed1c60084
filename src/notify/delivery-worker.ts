import type { Clock } from "../booking/clock.js";
import type { NotificationOutbox } from "../booking/notification-outbox.js";
import type { OutboxEntry } from "../booking/outbox-entry.js";
import type { Logger } from "../logger.js";
import { type BackoffOptions, backoffMs, defaultBackoff } from "./delivery-backoff.js";
import type { NotifyMetrics } from "./notify-metrics.js";
import type { RtuSender } from "./rtu-sender.js";

/** What the delivery worker runs on. */
export interface DeliveryWorkerOptions {
  outbox: NotificationOutbox;
  send: RtuSender;
  /** The domain clock: entries' creation times are in it. */
  clock: Clock;
  logger: Logger;
  metrics?: NotifyMetrics;
  /** Milliseconds since the epoch, for backoff and leases. */
  nowMs?: () => number;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Pause between polls of an empty queue; 1 s by default. */
  pollMs?: number;
  /** How long a claim keeps other workers off an entry; longer than a request's timeout. 60 s by default. */
  leaseMs?: number;
  batchSize?: number;
  /** Entries older than this are not sent (marked failed, retryable by hand); 24 h by default. */
  maxAgeSec?: number;
}

/** The running worker. */
export interface DeliveryWorker {
  start(): void;
  /** Stops polling and waits for the attempt in flight. */
  stop(): Promise<void>;
  /** Claims and sends one batch; resolves to the number of entries handled (for tests and the loop). */
  runOnce(): Promise<number>;
}

/**
 * Delivers outbox entries at least once, in order per booking (the outbox hands out only the oldest
 * pending entry of a key), with exponential backoff and full jitter on 429, 5xx and timeouts (never
 * sooner than a Retry-After), and no retry on other 4xx. State lives in the outbox, so a
 * restart picks up where the last process stopped once its leases run out.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const nowMs = options.nowMs ?? Date.now;
  const backoff = options.backoff ?? defaultBackoff;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  const maxAgeSec = options.maxAgeSec ?? 24 * 3600;
  const { outbox, logger } = options;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const deliver = async (entry: OutboxEntry): Promise<void> => {
    const kind = entry.payload.kind;
    if (entry.createdSec + maxAgeSec < options.clock.nowSec()) {
      await outbox.markFailed(entry.entryId, `expired: not sent within ${maxAgeSec} s of the change`);
      options.metrics?.attempt(kind, "failed");
      return;
    }
    const outcome = await options.send(entry);
    options.metrics?.attempt(kind, outcome.kind);
    const log = { notificationId: entry.entryId, kind, bookingId: entry.bookingId, attempt: entry.attempts + 1 };
    if (outcome.kind === "delivered") {
      await outbox.markDelivered(entry.entryId, options.clock.nowSec());
      logger.debug(log, "real-time update delivered");
    } else if (outcome.kind === "failed") {
      await outbox.markFailed(entry.entryId, outcome.error);
      logger.warn({ ...log, error: outcome.error }, "real-time update refused; not retried");
    } else {
      // The aggregator's Retry-After is a floor: the jittered backoff never sends earlier than it asked.
      const wait = Math.max(backoffMs(entry.attempts + 1, backoff, options.random), outcome.retryAfterMs ?? 0);
      await outbox.markRetry(entry.entryId, outcome.error, nowMs() + wait);
      logger.info({ ...log, error: outcome.error, retryInMs: wait }, "real-time update will be retried");
    }
  };

  const runOnce = async (): Promise<number> => {
    const entries = await outbox.claim(nowMs(), batchSize, leaseMs);
    for (const entry of entries) await deliver(entry);
    return entries.length;
  };

  const loop = async (): Promise<void> => {
    if (!running) return;
    let handled = 0;
    try {
      const run = runOnce();
      inFlight = run;
      handled = await run;
    } catch (error) {
      logger.error({ err: error }, "real-time update delivery failed; will poll again");
    }
    if (running) timer = setTimeout(() => void loop(), handled > 0 ? 0 : pollMs);
  };

  return {
    start() {
      if (running) return;
      running = true;
      void loop();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await inFlight.catch(() => undefined);
    },
    runOnce,
  };
}
