import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverNodeFlags } from "../../bench/server-process.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Docker is not needed here: these checks keep the Dockerfile honest where it cannot be built.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const read = (file: string): string => readFileSync(join(repoRoot, file), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped, split by stage. */
function stages(): Instruction[][] {
  const joined = read("Dockerfile")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  const result: Instruction[][] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { keyword: match[1] as string, args: (match[2] as string).trim() };
    if (instruction.keyword === "FROM") result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const all = (keyword: string, stage: Instruction[]) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);
/** The package an import specifier names: `@scope/name` or `name`. */
const packageOf = (spec: string): string =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec);

const dockerIgnored = read(".dockerignore")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

describe("the Dockerfile", () => {
  const [build, runtime] = stages() as [Instruction[], Instruction[]];

  it("builds in two stages on node:20-bookworm-slim, the Node line package.json supports", () => {
    expect(stages()).toHaveLength(2);
    expect(all("FROM", build)).toEqual(["node:20-bookworm-slim AS deps"]);
    expect(all("FROM", runtime)).toEqual(["node:20-bookworm-slim"]);
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/^>=20\./);
  });

  it("installs only production dependencies from the lockfile, and src needs nothing else", () => {
    expect(all("COPY", build)).toEqual(["package.json package-lock.json ./"]);
    expect(all("RUN", build).some((run) => run.startsWith("npm ci --omit=dev"))).toBe(true);
    const dependencies = Object.keys((JSON.parse(read("package.json")) as { dependencies: object }).dependencies);
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(join(repoRoot, dir))) {
        const path = join(dir, name);
        if (statSync(join(repoRoot, path)).isDirectory()) walk(path);
        else if (/\.(ts|js)$/.test(name)) {
          for (const [, spec = ""] of read(path).matchAll(/^import (?!type )[^;]*?from "([^".][^"]*)"/gms)) {
            if (!spec.startsWith("node:")) imported.add(packageOf(spec));
          }
        }
      }
    };
    for (const dir of ["src", "gen", "bin"]) walk(dir);
    expect([...imported].filter((name) => !dependencies.includes(name))).toEqual([]);
  });

  it("copies only files that exist and that .dockerignore does not leave out", () => {
    const sources = [...build, ...runtime]
      .filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(["bin", "src", "gen", "openapi", "package.json"]));
    for (const source of sources) {
      expect(existsSync(join(repoRoot, source)), source).toBe(true);
      expect(dockerIgnored.includes(source.replace(/\/$/, "")), source).toBe(false);
    }
  });

  it("runs as the unprivileged node user with the database in a volume, signals going straight to node", () => {
    expect(all("USER", runtime)).toEqual(["node"]);
    expect(all("VOLUME", runtime)).toEqual(['["/data"]']);
    expect(all("ENV", runtime).join(" ")).toContain("BOOKING_DB=/data/booking.db");
    expect(all("ENV", runtime).join(" ")).toContain("BOOKING_HOST=0.0.0.0");
    expect(JSON.parse(all("ENTRYPOINT", runtime)[0] ?? "")).toEqual([
      "node",
      ...serverNodeFlags,
      "bin/booking-server.js",
    ]);
    expect(JSON.parse(all("CMD", runtime)[0] ?? "")).toEqual(["serve"]);
  });

  it("runs node with the same flags as npm start, which the bench uses too", () => {
    const start = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: { start: string } })
      .scripts.start;
    expect(start).toBe(`exec node ${serverNodeFlags.join(" ")} bin/booking-server.js serve --demo`);
  });

  it("checks health with a script the image has (no curl in slim) on /healthz", () => {
    const [healthcheck] = all("HEALTHCHECK", runtime);
    const command = JSON.parse(/CMD\s+(\[.*\])$/.exec(healthcheck ?? "")?.[1] ?? "null") as string[];
    expect(command).toEqual(["node", "bin/container-healthcheck.js"]);
    expect(read("bin/container-healthcheck.js")).toContain("/healthz");
  });
});

describe("the HEALTHCHECK script", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const run = (port: number) =>
    promisify(execFile)(process.execPath, ["bin/container-healthcheck.js"], {
      cwd: repoRoot,
      env: { ...process.env, BOOKING_PORT: String(port), BOOKING_TLS_CERT: "" },
    }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );

  it("passes against a running server and fails when nothing answers", async () => {
    expect(await run(server.port)).toBe(0);
    await server.close();
    expect(await run(server.port)).toBe(1);
  });
});

describe("the compose example", () => {
  it("builds this Dockerfile, keeps data in a volume at /data and reads credentials from a secret", () => {
    const compose = read("compose.yaml");
    expect(compose).toMatch(/^\s+build: \.$/m);
    expect(compose).toMatch(/^\s+- booking-data:\/data$/m);
    expect(compose).toMatch(/BOOKING_CREDENTIALS_FILE: \/run\/secrets\/booking-credentials/);
    expect(compose).toMatch(/^\s+- "8080:8080"$/m);
    expect(read(".gitignore")).toMatch(/^credentials\.txt$/m);
  });
});
