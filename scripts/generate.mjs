// Copies the protos we use but do not own into the git-ignored third_party/ folder, each from the
// package that ships it: google/rpc from google-proto-files, gRPC's health service from
// grpc-health-check, gRPC's server reflection (v1 and v1alpha) from @grpc/reflection. Then runs
// `buf generate` with the local protoc-gen-es.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const packageRoot = (name) => dirname(require.resolve(`${name}/package.json`));

/** [package, path in the package, path under third_party/ (the import path)] */
const copies = [
  ...["status.proto", "error_details.proto", "code.proto"].map((file) => [
    "google-proto-files",
    join("google", "rpc", file),
    join("google", "rpc", file),
  ]),
  ["grpc-health-check", join("proto", "health", "v1", "health.proto"), join("grpc", "health", "v1", "health.proto")],
  ...["v1", "v1alpha"].map((version) => [
    "@grpc/reflection",
    join("build", "proto", "grpc", "reflection", version, "reflection.proto"),
    join("grpc", "reflection", version, "reflection.proto"),
  ]),
];

rmSync("third_party", { recursive: true, force: true });
for (const [name, from, to] of copies) {
  const target = join("third_party", to);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(packageRoot(name), from), target);
}
const onlyCopy = process.argv.includes("--protos-only");
if (!onlyCopy) {
  execFileSync("buf", ["generate"], { stdio: "inherit" });
}
