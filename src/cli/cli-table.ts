/** Formats rows as a plain-text table for people: a header, aligned columns, two spaces apart. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** A time in seconds since the epoch as an ISO 8601 UTC string, or "" for 0. */
export function isoTime(sec: number): string {
  return sec > 0 ? new Date(sec * 1000).toISOString().replace(".000Z", "Z") : "";
}
