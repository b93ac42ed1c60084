/** Percentiles of the latencies of one measured run, in milliseconds. */
export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Collects every latency sample of a run (floating-point ms, unlike autocannon's whole-ms histogram). */
export interface LatencyRecorder {
  record(ms: number): void;
  summarize(): LatencySummary;
}

/** Creates a recorder that keeps all samples; a run of a few seconds holds at most a few hundred thousand. */
export function createLatencyRecorder(): LatencyRecorder {
  let samples = new Float64Array(65_536);
  let count = 0;
  return {
    record(ms) {
      if (count === samples.length) {
        const grown = new Float64Array(samples.length * 2);
        grown.set(samples);
        samples = grown;
      }
      samples[count++] = ms;
    },
    summarize() {
      if (count === 0) return { count: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
      const sorted = samples.slice(0, count).sort();
      let sum = 0;
      for (const value of sorted) sum += value;
      const at = (q: number): number => sorted[Math.min(count - 1, Math.floor(q * count))] ?? 0;
      return { count, meanMs: sum / count, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[count - 1] ?? 0 };
    },
  };
}
