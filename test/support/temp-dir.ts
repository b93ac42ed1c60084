import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the OS temp directory, and how to remove it with everything in it. */
export interface TempDir {
  dir: string;
  /** `name` inside the directory. */
  path(name: string): string;
  remove(): void;
}

/** Creates a directory whose name starts with `prefix`; `remove()` may be called more than once. */
export function createTempDir(prefix = "booking-test-"): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh SQLite file path in its own temp directory, for tests that open the file themselves. */
export function createTempDbPath(): { path: string; remove(): void } {
  const temp = createTempDir();
  return { path: temp.path("booking.db"), remove: temp.remove };
}
