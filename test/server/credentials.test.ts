import { describe, expect, it } from "vitest";
import {
  aggregatorsByUser,
  createAuthenticator,
  parseCredentialLine,
  parseCredentials,
} from "../../src/server/credentials.js";
import { basicAuth } from "../support/test-server.js";

describe("credential lines and their aggregators", () => {
  it("reads user:password with the user as its own aggregator, and [aggregator] user:password", () => {
    expect(parseCredentialLine("partner:s3cret")).toEqual({
      aggregator: "partner",
      user: "partner",
      password: "s3cret",
    });
    expect(parseCredentialLine("[google] google-2026a:pass")).toEqual({
      aggregator: "google",
      user: "google-2026a",
      password: "pass",
    });
  });

  it("keeps ':', spaces and brackets in a password, and never reads an aggregator out of one", () => {
    expect(parseCredentialLine("user:[x] pass:word with spaces")).toEqual({
      aggregator: "user",
      user: "user",
      password: "[x] pass:word with spaces",
    });
    expect(parseCredentialLine("[g.1_a-b]   bot:a]b [c] :d")).toEqual({
      aggregator: "g.1_a-b",
      user: "bot",
      password: "a]b [c] :d",
    });
  });

  it("refuses malformed lines by number, without quoting them", () => {
    const bad = ["[google Sekr3t:x", "[] user:Sekr3t", "[goo gle] user:Sekr3t", "[google] :Sekr3t", "Sekr3t:"];
    for (const line of bad) {
      const message = (() => {
        try {
          parseCredentials(`# rotation\n\n${line}`);
          return "accepted";
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toMatch(/^credentials line 3: expected /);
      expect(message).not.toContain("Sekr3t");
    }
  });

  it("refuses a user given to two aggregators, and a name that is an aggregator and another aggregator's user", () => {
    expect(() => parseCredentials("[a] bot:one\n[b] bot:two")).toThrow(/user bot is given to aggregators a and b/);
    expect(() => parseCredentials("[google] bot:one\n[other] google:two")).toThrow(/google names an aggregator/);
    expect(parseCredentials("google:old\n[google] google-2026b:new\n[google] google:rotated")).toHaveLength(3);
  });

  it("maps every user to its aggregator", () => {
    const lines = parseCredentials("partner:p\n[google] google-2026a:a\n[google] google-2026b:b");
    expect([...aggregatorsByUser(lines)]).toEqual([
      ["partner", "partner"],
      ["google-2026a", "google"],
      ["google-2026b", "google"],
    ]);
  });

  it("remembers an accepted header value for this authenticator only, and never a refused one", () => {
    const authenticate = createAuthenticator(["partner:p"]);
    const header = basicAuth("partner:p");
    const first = authenticate(header);
    expect(first).toEqual({ ok: true, aggregator: "partner", user: "partner" });
    // Answered from memory: the same frozen result, which no caller can change for the next one.
    expect(authenticate(header)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const wrong = basicAuth("partner:q");
    expect(authenticate(wrong)).toEqual({ ok: false, reason: "CREDENTIALS_INVALID" });
    expect(authenticate(wrong)).not.toBe(authenticate(wrong));
    // Another authenticator (the credentials changed) checks the value afresh.
    expect(createAuthenticator(["partner:q"])(header)).toEqual({ ok: false, reason: "CREDENTIALS_INVALID" });
    // More spellings of an accepted value than it remembers are all still accepted.
    const token = header.slice("Basic ".length);
    for (let spaces = 1; spaces <= 200; spaces++) {
      expect(authenticate(`Basic${" ".repeat(spaces)}${token}`)).toMatchObject({ ok: true, user: "partner" });
    }
  });

  it("authenticates the user:password of a line and names its user and aggregator", () => {
    const authenticate = createAuthenticator(["[google] google-2026a:pass word:1", "partner:p"]);
    expect(authenticate(basicAuth("google-2026a:pass word:1"))).toEqual({
      ok: true,
      aggregator: "google",
      user: "google-2026a",
    });
    expect(authenticate(basicAuth("partner:p"))).toEqual({ ok: true, aggregator: "partner", user: "partner" });
    expect(authenticate(basicAuth("[google] google-2026a:pass word:1"))).toEqual({
      ok: false,
      reason: "CREDENTIALS_INVALID",
    });
  });
});
