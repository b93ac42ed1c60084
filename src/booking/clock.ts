/** The source of "now" for every time-dependent rule; tests pass a fixed or hand-advanced clock. */
export interface Clock {
  /** Current time in whole seconds since the Unix epoch, UTC. */
  nowSec(): number;
}

/** The wall clock of the machine. */
export const systemClock: Clock = {
  nowSec: () => Math.floor(Date.now() / 1000),
};
