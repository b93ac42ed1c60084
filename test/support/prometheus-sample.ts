/** The value of one sample line of a Prometheus text exposition, 0 when absent; labels match in any order. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present: string[] = (match[2] ?? "").match(/[a-z_]+="[^"]*"/g) ?? [];
    if (wanted.length === present.length && wanted.every((w) => present.includes(w))) return Number(match[3]);
  }
  return 0;
}
