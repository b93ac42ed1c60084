/** Where a command writes; tests pass buffers. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** The process's own streams. */
export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** An instant for people: `2030-03-10T14:00:00Z`, or `-` when absent. */
export function formatInstant(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return "-";
  return new Date(sec * 1000).toISOString().replace(".000Z", "Z");
}
