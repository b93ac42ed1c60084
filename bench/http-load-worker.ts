// Load generator for HTTP/1.1 (REST /v3 and Connect JSON): one autocannon instance in its own process.
import { createRequire } from "node:module";
import { type Message, toJsonString } from "@bufbuild/protobuf";
import { createLatencyRecorder } from "./latency-recorder.js";
import { emptyResult, type LoadJob, type LoadResult, loadResultOf, measureCpu } from "./load-job.js";
import { createRequestSource, type RequestSource } from "./request-source.js";

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}

interface AutocannonTracker {
  on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "reqError", listener: (error: Error) => void): void;
}

type Autocannon = (
  options: Record<string, unknown> & { requests: AutocannonRequest[] },
  done: (error: Error | null) => void,
) => AutocannonTracker;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** Encodes the i-th request as an HTTP/1.1 request for REST /v3 or the Connect protocol. */
function encoder(job: LoadJob, source: RequestSource): (i: number) => AutocannonRequest {
  const name = source.method.name;
  const headers = { authorization: job.authorization, "content-type": "application/json" };
  if (job.bareHttp && name === "HealthCheck") {
    return () => ({ method: "POST", path: "/v3/HealthCheck", headers, body: "{}" });
  }
  if (job.protocol === "rest" && name === "HealthCheck") {
    return () => ({ method: "GET", path: "/v3/HealthCheck", headers: { authorization: job.authorization } });
  }
  const path = job.protocol === "rest" ? `/v3/${name}` : `/${source.method.parent.typeName}/${name}`;
  const encode = (message: Message): string =>
    toJsonString(source.method.input, message as never, { useProtoFieldName: job.protocol === "rest" });
  if (source.constant) {
    const body = encode(source.next(0));
    return () => ({ method: "POST", path, headers, body });
  }
  return (i) => ({ method: "POST", path, headers, body: encode(source.next(i)) });
}

const failureMarker = /"booking_?[fF]ailure"/;

async function probe(target: string, request: AutocannonRequest): Promise<{ status: number; body: string }> {
  const res = await fetch(`${target}${request.path}`, {
    method: request.method ?? "GET",
    headers: request.headers ?? {},
    body: request.body,
  });
  return { status: res.status, body: await res.text() };
}

async function main(): Promise<LoadResult> {
  const job = JSON.parse(process.argv[2] ?? "{}") as LoadJob;
  const source = createRequestSource(job.plan);
  const requestAt = encoder(job, source);
  // Request 0 on the first replica; the others must be up too (a no-op reaches each of them).
  const first = await probe(job.targets[0] ?? "", requestAt(0));
  for (const target of job.targets.slice(1)) {
    const other = await probe(target, {
      method: "GET",
      path: "/v3/HealthCheck",
      headers: { authorization: job.authorization },
    });
    if (other.status !== 200) throw new Error(`replica ${target} answered HealthCheck with ${other.status}`);
  }
  if (first.status === 501) {
    return { ...emptyResult(), skipped: first.body.slice(0, 200) };
  }
  const latencies = createLatencyRecorder();
  let errors = 0;
  // The probe's answer explains the errors that follow, since autocannon's bodies are not kept.
  let firstError: string | undefined = first.status >= 300 ? `HTTP ${first.status}: ${first.body}` : undefined;
  const fail = (what: string): void => {
    errors += 1;
    firstError ??= what.slice(0, 300);
  };
  let next = 1;
  const measureFrom = performance.now() + job.warmupSec * 1000;
  const measureTo = measureFrom + job.durationSec * 1000;
  const inWindow = (): boolean => {
    const now = performance.now();
    return now >= measureFrom && now <= measureTo;
  };
  const cpu = measureCpu(measureFrom, measureTo);
  const template: AutocannonRequest = { setupRequest: (req) => ({ ...req, ...requestAt(next++) }) };
  if (source.canFail) {
    template.onResponse = (status, body) => {
      if (status < 300 && failureMarker.test(body) && inWindow()) fail(`booking_failure: ${body}`);
    };
  }
  const tracker = await new Promise<AutocannonTracker>((resolve, reject) => {
    const t = autocannon(
      {
        // An array: autocannon gives connection i to url i % n.
        url: job.targets,
        connections: job.concurrency,
        duration: job.warmupSec + job.durationSec,
        requests: [template],
        timeout: 30,
      },
      (error) => (error ? reject(error) : resolve(t)),
    );
    t.on("response", (_client, status, _bytes, ms) => {
      if (!inWindow()) return;
      latencies.record(ms);
      if (status >= 300) fail(`HTTP ${status}`);
    });
    t.on("reqError", (error) => {
      if (inWindow()) fail(error.message);
    });
  });
  void tracker;
  return loadResultOf(job, {
    summary: latencies.summarize(),
    totalRequests: next - 1,
    cpuUs: cpu,
    errors,
    ...(firstError ? { firstError } : {}),
  });
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
