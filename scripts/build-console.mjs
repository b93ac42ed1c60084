// Builds the merchant console (console/src) into console/static: one JS bundle (Preact, connect-web
// and the generated AdminService code) and one stylesheet, named by content hash, and the index.html
// that loads them. The output is committed, so `npm install && npm start` needs no build; CI rebuilds
// it and fails on any difference, as for gen/.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";

const source = join("console", "src");
const out = join("console", "static");

const result = await build({
  entryPoints: { console: join(source, "main.tsx"), style: join(source, "console.css") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome109", "edge109", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  entryNames: "[name]-[hash]",
  legalComments: "eof",
  charset: "utf8",
  write: false,
  outdir: out,
  logLevel: "warning",
});

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let js = "";
let css = "";
for (const file of result.outputFiles) {
  writeFileSync(file.path, file.contents);
  if (file.path.endsWith(".js")) js = basename(file.path);
  if (file.path.endsWith(".css")) css = basename(file.path);
}
const index = readFileSync(join(source, "index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
writeFileSync(join(out, "index.html"), index);
console.log(`console built: ${out}/{index.html,${js},${css}}`);
