import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoAdminCredential } from "../../src/cli/serve-command.js";
import { startCliServer } from "../hardening/cli-server.js";
import { eventually } from "../support/eventually.js";
import { basicAuth, startTestServer, type TestServer } from "../support/test-server.js";

describe("the console's files on the server's port", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("is not served at all without admin credentials", async () => {
    server = await startTestServer();
    for (const path of ["/console/", "/console"]) {
      expect((await fetch(`${server.url}${path}`, { redirect: "manual" })).status, path).toBe(404);
    }
  });

  it("serves the page and its hashed bundle with content types, cache headers and a strict policy", async () => {
    server = await startTestServer({ adminCredentials: ["staff:adm1n-Pa55"] });
    const index = await fetch(`${server.url}/console/`);
    const html = await index.text();
    expect(index.headers.get("cache-control")).toBe("no-cache");
    expect(index.headers.get("x-content-type-options")).toBe("nosniff");
    expect(index.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    // Nothing from elsewhere: every reference is relative to /console/.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = /src="\.\/([^"]+\.js)"/.exec(html)?.[1];
    const style = /href="\.\/([^"]+\.css)"/.exec(html)?.[1];
    const js = await fetch(`${server.url}/console/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${server.url}/console/${style}`)).headers.get("content-type")).toBe("text/css; charset=utf-8");

    const head = await fetch(`${server.url}/console/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await fetch(`${server.url}/console/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("is turned on by serve --demo with a demo admin credential, and its URL is printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "booking-console-"));
    const cli = await startCliServer(join(dir, "booking.db"));
    try {
      await eventually(async () => cli.stderr().includes("merchant console:"));
      const url = /merchant console: (\S+)/.exec(cli.stderr())?.[1] ?? "";
      expect(url).toBe(`http://127.0.0.1:${cli.port}/console/`);
      expect(cli.stderr()).toContain("sign in as front-desk / demo-console");
      expect((await fetch(url)).status).toBe(200);
      const merchants = await fetch(`http://127.0.0.1:${cli.port}/booking.admin.v1.AdminService/ListMerchants`, {
        method: "POST",
        headers: { authorization: basicAuth(demoAdminCredential), "content-type": "application/json" },
        body: "{}",
      });
      expect(merchants.status).toBe(200);
      expect(
        ((await merchants.json()) as { merchants: { merchantId: string }[] }).merchants.map((m) => m.merchantId),
      ).toEqual(["demo-fitness", "demo-restaurant", "demo-salon"]);
    } finally {
      await cli.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
