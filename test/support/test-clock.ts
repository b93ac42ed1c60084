import type { Clock } from "../../src/booking/clock.js";
import { testNowSec } from "../booking/feed-builders.js";

/** A clock the test moves by hand. */
export interface TestClock extends Clock {
  set(sec: number): void;
  advance(sec: number): void;
}

/** A clock starting at `startSec` (testNowSec by default). */
export function createTestClock(startSec = testNowSec): TestClock {
  let now = startSec;
  return {
    nowSec: () => now,
    set: (sec) => {
      now = sec;
    },
    advance: (sec) => {
      now += sec;
    },
  };
}
