/**
 * Summarises a V8 `.cpuprofile` (as `npm run bench -- --cpu-prof` writes them): the functions with the
 * most self time and the most inclusive time, as shares of the whole profile (idle included).
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [rows=40] [filter-regex]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg, filterArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [rows=40] [filter-regex]");
  process.exit(2);
}
const rows = Number(rowsArg ?? 40);
const filter = filterArg ? new RegExp(filterArg) : undefined;
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

/** A function by name and place, with dependency paths shortened. */
function nameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const place = url.replace(/.*node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench|gen)\//, "$1/");
  return `${functionName || "(anonymous)"} ${place}:${lineNumber + 1}`;
}

// Time per sampled node: each sample lasts until the next one.
const timeOf = new Map<number, number>();
for (const [i, id] of profile.samples.entries()) timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (const [id, time] of timeOf) {
  total += time;
  const name = nameOf(nodes.get(id) as ProfileNode);
  self.set(name, (self.get(name) ?? 0) + time);
  // A recursive function counts once per stack.
  const onStack = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const caller = nameOf(nodes.get(at) as ProfileNode);
    if (onStack.has(caller)) continue;
    onStack.add(caller);
    inclusive.set(caller, (inclusive.get(caller) ?? 0) + time);
  }
}

for (const [title, times] of [
  ["self", self],
  ["inclusive", inclusive],
] as const) {
  console.log(`== ${title} time (profile of ${(total / 1e6).toFixed(2)} s)`);
  const top = [...times].filter(([name]) => !filter || filter.test(name)).sort((a, b) => b[1] - a[1]);
  for (const [name, time] of top.slice(0, rows))
    console.log(`${((100 * time) / total).toFixed(2).padStart(6)} %  ${name}`);
}
