import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";

describe("log format", () => {
  it("writes one readable line per entry with --log-format pretty, still redacting secrets", () => {
    const lines: string[] = [];
    const logger = createLogger({ format: "pretty", destination: { write: (line: string) => void lines.push(line) } });
    logger.info({ rpc: "CreateBooking", protocol: "grpc", authorization: "Basic c2VjcmV0" }, "call");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: call \{"rpc":"CreateBooking","protocol":"grpc",/);
    expect(lines[0]).toContain('"authorization":"[redacted]"');
    expect(lines[0]).not.toContain("c2VjcmV0");
    expect(lines[0]?.endsWith("\n")).toBe(true);
  });

  it("writes JSON objects by default", () => {
    const lines: string[] = [];
    createLogger({ destination: { write: (line: string) => void lines.push(line) } }).warn({ rpc: "x" }, "hello");
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ level: 40, rpc: "x", msg: "hello", service: "booking-server" });
  });
});
