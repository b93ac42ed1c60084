import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import type { Logger } from "../logger.js";
import type { PathRoute } from "../server/probe-routes.js";

/** Where `npm run build:console` writes the console (committed, checked fresh by CI). */
export const consoleAssetsUrl = new URL("../../console/static/", import.meta.url);

/** The path the console is served under. */
export const consolePath = "/console/";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * The page may load only what this server serves and talk only to it: no inline script, no remote
 * asset, no framing, no form posted elsewhere.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  body: Buffer;
  type: string;
  /** Hashed file names never change content, so browsers may keep them; index.html is revalidated. */
  cacheControl: string;
}

/** Reads the built console: every file of the one flat folder, by name; nothing else is ever served. */
function loadAssets(dir: URL): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const dot = entry.name.lastIndexOf(".");
    const type = dot > 0 ? contentTypes[entry.name.slice(dot)] : undefined;
    if (!entry.isFile() || !type) continue;
    assets.set(entry.name, {
      body: readFileSync(new URL(entry.name, dir)),
      type,
      cacheControl: entry.name === "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
    });
  }
  return assets;
}

/**
 * Serves the merchant console at `/console/` (GET and HEAD): the built files by exact name, looked up in
 * a table read once, so no request path can reach another file. The page itself holds no secret; it
 * signs in with an admin credential and calls AdminService like any other client.
 */
export function createConsoleRoute(options: { logger: Logger; assetsDir?: URL }): PathRoute {
  let assets: Map<string, Asset> | undefined;
  return (req, res, pathname) => {
    if (pathname !== "/console" && !pathname.startsWith(consolePath)) return false;
    const send = (status: number, headers: Record<string, string>, body: Buffer | string): void => {
      if (res.headersSent || res.destroyed) return;
      (res as ServerResponse).writeHead(status, {
        "content-length": String(Buffer.byteLength(body)),
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "content-security-policy": consoleContentSecurityPolicy,
        ...headers,
      });
      if (req.method === "HEAD") res.end();
      else res.end(body);
    };
    const text = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(405, { ...text, allow: "GET, HEAD" }, "method not allowed: use GET or HEAD\n");
      return true;
    }
    if (pathname === "/console") {
      send(308, { ...text, location: consolePath }, `moved to ${consolePath}\n`);
      return true;
    }
    try {
      assets ??= loadAssets(options.assetsDir ?? consoleAssetsUrl);
    } catch (error) {
      options.logger.error({ err: error }, "the console is not built; run npm run build:console");
      send(500, text, "the console is not built\n");
      return true;
    }
    const name = pathname === consolePath ? "index.html" : pathname.slice(consolePath.length);
    const asset = assets.get(name);
    if (!asset) {
      send(404, text, "not found\n");
      return true;
    }
    send(200, { "content-type": asset.type, "cache-control": asset.cacheControl }, asset.body);
    return true;
  };
}
