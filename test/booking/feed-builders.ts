/** "Now" in tests: 2030-03-17T17:46:40Z. */
export const testNowSec = 1_900_000_000;

/** A future start, `hours` after testNowSec, on the hour. */
export const hoursFromNow = (hours: number): number => Math.floor(testNowSec / 3600) * 3600 + hours * 3600;

/** One availability entry of a feed in Google's JSON shape; overrides replace fields. */
export function makeAvailability(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchant_id: "m1",
    service_id: "s1",
    start_sec: hoursFromNow(24),
    duration_sec: 1800,
    spots_total: 1,
    spots_open: 1,
    availability_tag: "",
    ...overrides,
  };
}

/** A whole availability feed around the given entries. */
export function makeFeed(
  availability: Record<string, unknown>[],
  options: { instruction?: string; block?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    metadata: {
      processing_instruction: options.instruction ?? "PROCESS_AS_COMPLETE",
      shard_number: 0,
      total_shards: 1,
      generation_timestamp: testNowSec,
    },
    service_availability: [{ ...options.block, availability }],
  };
}

/** A policies file; overrides replace the merchants or services lists. */
export function makePolicies(policies: { merchants?: object[]; services?: object[] } = {}): Record<string, unknown> {
  return { merchants: policies.merchants ?? [], services: policies.services ?? [] };
}
