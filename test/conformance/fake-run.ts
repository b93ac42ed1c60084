import {
  type FakeBookingServer,
  type FakeBookingServerOptions,
  startFakeBookingServer,
} from "./fake-booking-server.js";
import { makeScratchDir, makeTestFeed } from "./test-feed.js";

/** The credentials every fake run accepts. */
export const fakeCredentials = "google:s3cret";

/** A fake server loaded with the test feed, the feed on disk, and the harness arguments to reach both. */
export interface FakeRun {
  readonly server: FakeBookingServer;
  /** Directory holding the feed; tests may write reports there. */
  readonly dir: string;
  /** `--target`, `--credentials` and `--feed` for this run. */
  readonly args: string[];
  close(): Promise<void>;
}

/** Starts a fake on port 0 with the test feed's inventory and writes that feed to a scratch directory. */
export async function startFakeRun(
  options: Omit<FakeBookingServerOptions, "inventory" | "credentials"> = {},
): Promise<FakeRun> {
  const { feed, inventory } = makeTestFeed(Math.floor(Date.now() / 1000));
  const server = await startFakeBookingServer({ ...options, inventory, credentials: fakeCredentials });
  const scratch = await makeScratchDir();
  const feedFile = await scratch.write("availability.json", feed);
  return {
    server,
    dir: scratch.path,
    args: ["--target", server.url, "--credentials", fakeCredentials, "--feed", feedFile],
    async close() {
      await server.close();
      await scratch.remove();
    },
  };
}
