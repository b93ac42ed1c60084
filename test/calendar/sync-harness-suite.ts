import { afterAll, afterEach, beforeAll } from "vitest";
import type { TestBackend } from "../support/test-database.js";
import { openSyncHarness, type SyncHarness } from "./calendar-fixtures.js";
import {
  type FakeGoogleCalendar,
  type FakeGoogleCalendarOptions,
  startFakeGoogleCalendar,
} from "./fake-google-calendar.js";

/** A fake Calendar API for the whole test file, and sync harnesses closed after each test. */
export interface SyncHarnessSuite {
  fake(): FakeGoogleCalendar;
  open(options?: Parameters<typeof openSyncHarness>[1]): Promise<SyncHarness>;
}

/** Registers the hooks that start the fake before the file and close every harness after each test. */
export function useSyncHarnessSuite(
  backend: TestBackend = "sqlite",
  fakeOptions: FakeGoogleCalendarOptions = {},
): SyncHarnessSuite {
  let fake: FakeGoogleCalendar | undefined;
  const harnesses: SyncHarness[] = [];
  beforeAll(async () => {
    fake = await startFakeGoogleCalendar(fakeOptions);
  });
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.close();
  });
  afterAll(async () => {
    await fake?.close();
  });
  const current = (): FakeGoogleCalendar => {
    if (!fake) throw new Error("the fake Calendar API starts in beforeAll");
    return fake;
  };
  return {
    fake: current,
    async open(options = {}) {
      const harness = await openSyncHarness(current(), options, backend);
      harnesses.push(harness);
      return harness;
    },
  };
}
