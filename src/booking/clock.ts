/** The source of "now" for every time-dependent rule; tests pass a fixed or hand-advanced clock. */
export interface Clock {
  /** Current time in whole seconds since the Unix epoch, UTC. */
  nowSec(): number;
}

/** The wall clock of the machine. */
export const systemClock: Clock = {
  nowSec: () => Math.floor(Date.now() / 1000),
};

/** An instant for people: `2030-03-10T14:00:00Z`, or `-` when absent. */
export function formatInstant(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return "-";
  return new Date(sec * 1000).toISOString().replace(".000Z", "Z");
}
