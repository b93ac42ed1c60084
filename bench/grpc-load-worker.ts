// Load generator for gRPC: a @grpc/grpc-js client on one channel, `concurrency` calls in flight.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { createLatencyRecorder } from "./latency-recorder.js";
import { emptyResult, type LoadJob, type LoadResult, loadResultOf, measureCpu } from "./load-job.js";
import { createRequestSource } from "./request-source.js";

const passThrough = (bytes: Buffer): Buffer => bytes;
const callTimeoutMs = 30_000;

async function main(): Promise<LoadResult> {
  const job = JSON.parse(process.argv[2] ?? "{}") as LoadJob;
  const source = createRequestSource(job.plan);
  const { method } = source;
  const path = `/${method.parent.typeName}/${method.name}`;
  const encode = (i: number): Buffer => Buffer.from(toBinary(method.input, source.next(i) as never));
  const constant = source.constant ? encode(0) : undefined;
  const requestAt = (i: number): Buffer => constant ?? encode(i);
  // One channel per replica; call loop k stays on replica k % n.
  const clients = job.targets.map((target) => new grpc.Client(new URL(target).host, grpc.credentials.createInsecure()));
  const metadata = new grpc.Metadata();
  metadata.set("authorization", job.authorization);

  // Requests and responses are bytes on the wire on both sides of the call, so the client spends as
  // little CPU as a grpc-js client can on the machine it shares with the server.
  const call = (
    client: grpc.Client,
    i: number,
    done: (error: grpc.ServiceError | null, response?: Buffer) => void,
  ): void => {
    client.makeUnaryRequest(
      path,
      passThrough,
      passThrough,
      requestAt(i),
      metadata,
      {
        deadline: Date.now() + callTimeoutMs,
      },
      (error, response) => done(error, response),
    );
  };

  const closeAll = (): void => {
    for (const client of clients) client.close();
  };
  const first = await new Promise<{ error: grpc.ServiceError | null; response?: Buffer }>((resolve) =>
    call(clients[0] as grpc.Client, 0, (error, response) => resolve({ error, response })),
  );
  if (first.error?.code === grpc.status.UNIMPLEMENTED) {
    closeAll();
    return { ...emptyResult(), skipped: first.error.details };
  }

  const latencies = createLatencyRecorder();
  let errors = 0;
  let firstError = first.error ? `${grpc.status[first.error.code]}: ${first.error.details}` : undefined;
  const isFailure = (response: Buffer | undefined): boolean =>
    source.canFail &&
    response !== undefined &&
    (fromBinary(method.output, response) as { bookingFailure?: unknown }).bookingFailure !== undefined;

  const measureFrom = performance.now() + job.warmupSec * 1000;
  const measureTo = measureFrom + job.durationSec * 1000;
  let next = 1;
  const cpu = measureCpu(measureFrom, measureTo);
  await new Promise<void>((resolve) => {
    let active = 0;
    const loop = (client: grpc.Client): void => {
      const started = performance.now();
      if (started > measureTo) {
        if (--active === 0) resolve();
        return;
      }
      call(client, next++, (error, response) => {
        const ended = performance.now();
        if (ended >= measureFrom && ended <= measureTo) {
          latencies.record(ended - started);
          if (error) {
            errors += 1;
            firstError ??= `${grpc.status[error.code]}: ${error.details}`;
          } else if (isFailure(response)) {
            errors += 1;
            firstError ??= "booking_failure in response";
          }
        }
        loop(client);
      });
    };
    for (let k = 0; k < job.concurrency; k++) {
      active += 1;
      loop(clients[k % clients.length] as grpc.Client);
    }
  });
  closeAll();
  return loadResultOf(job, {
    summary: latencies.summarize(),
    totalRequests: next - 1,
    cpuUs: cpu,
    errors,
    ...(firstError ? { firstError } : {}),
  });
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
