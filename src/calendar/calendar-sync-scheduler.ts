import type { Clock } from "../booking/clock.js";
import type { Logger } from "../logger.js";
import { type CalendarSyncerOptions, createCalendarSyncer } from "./calendar-syncer.js";
import type { LinkSyncReport } from "./sync-calendar-link.js";

/** Options of the in-process scheduler. */
export interface CalendarSyncSchedulerOptions extends Omit<CalendarSyncerOptions, "logger" | "clock"> {
  logger: Logger;
  clock: Clock;
  /** How often due links are looked for; 30 s by default. */
  intervalMs?: number;
}

/** Runs calendar sync in the server process; with several replicas, each due link is claimed by one. */
export interface CalendarSyncScheduler {
  /** Starts looking for due links now and every interval. */
  start(): void;
  /** Stops scheduling, aborts syncs in flight (recording nothing for them) and waits for them. */
  stop(): Promise<void>;
  /** One pass over the due links, outside the timer. */
  runOnce(): Promise<LinkSyncReport[]>;
}

/** Creates the scheduler the server starts when calendar sync is configured. */
export function createCalendarSyncScheduler(options: CalendarSyncSchedulerOptions): CalendarSyncScheduler {
  const logger = options.logger.child({ component: "calendar-sync" });
  const syncer = createCalendarSyncer({ ...options, logger });
  const intervalMs = options.intervalMs ?? 30_000;
  let controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<LinkSyncReport[]> | undefined;
  let started = false;

  const runOnce = (): Promise<LinkSyncReport[]> => {
    running ??= syncer.syncDue(controller.signal).finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = async () => {
    try {
      await runOnce();
    } catch (error) {
      logger.error({ error: error instanceof Error ? error.message : String(error) }, "calendar sync pass failed");
    }
    if (started) timer = setTimeout(tick, intervalMs).unref();
  };

  return {
    start() {
      if (started) return;
      started = true;
      controller = new AbortController();
      timer = setTimeout(tick, 0).unref();
    },
    async stop() {
      started = false;
      clearTimeout(timer);
      controller.abort();
      await running?.catch(() => undefined);
    },
    runOnce,
  };
}
