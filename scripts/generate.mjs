// Copies the google/rpc protos we import from the google-proto-files package into the
// git-ignored third_party/ folder, then runs `buf generate` with the local protoc-gen-es.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const protoRoot = dirname(require.resolve("google-proto-files/package.json"));
const target = join("third_party", "google", "rpc");

rmSync("third_party", { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const file of ["status.proto", "error_details.proto", "code.proto"]) {
  cpSync(join(protoRoot, "google", "rpc", file), join(target, file));
}
const onlyCopy = process.argv.includes("--protos-only");
if (!onlyCopy) {
  execFileSync("buf", ["generate"], { stdio: "inherit" });
}
