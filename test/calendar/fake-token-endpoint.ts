import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** An OAuth client and the refresh token a user granted it. */
export interface FakeOAuthGrant {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** A token endpoint answer. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Google's OAuth 2.0 token endpoint, in memory: the refresh_token grant for registered clients and the
 * JWT-bearer grant for registered service accounts (RS256 signature checked against the public key),
 * whose scope must name `scopeWord`.
 */
export function createFakeTokenEndpoint(scopeWord = "calendar") {
  const grants: FakeOAuthGrant[] = [];
  const serviceAccounts = new Map<string, KeyObject>();
  const accessTokens = new Map<string, string>();
  const revoked = new Set<string>();
  let issued = 0;
  const grantsLog: string[] = [];

  const issue = (subject: string): TokenAnswer => {
    issued += 1;
    const token = `ya29.fake-${issued}`;
    accessTokens.set(token, subject);
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: 3599,
        scope: "https://www.googleapis.com/auth/calendar.readonly",
        token_type: "Bearer",
      },
    };
  };
  const invalidGrant: TokenAnswer = {
    status: 400,
    body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
  };

  return {
    /** Every grant type asked for, in order. */
    grantsLog,
    addGrant(grant: FakeOAuthGrant): void {
      grants.push(grant);
    },
    revokeRefreshToken(refreshToken: string): void {
      revoked.add(refreshToken);
    },
    addServiceAccount(email: string, publicKeyPem: string): void {
      serviceAccounts.set(email, createPublicKey(publicKeyPem));
    },
    /** Forgets every access token issued so far, as if they had all expired. */
    expireAccessTokens(): void {
      accessTokens.clear();
    },
    isValidAccessToken(token: string): boolean {
      return accessTokens.has(token);
    },
    handle(form: URLSearchParams): TokenAnswer {
      const grantType = form.get("grant_type") ?? "";
      grantsLog.push(grantType);
      if (grantType === "refresh_token") {
        const client = grants.find((g) => g.clientId === form.get("client_id"));
        if (!client || client.clientSecret !== form.get("client_secret")) {
          return {
            status: 401,
            body: { error: "invalid_client", error_description: "The OAuth client was not found." },
          };
        }
        const refreshToken = form.get("refresh_token") ?? "";
        const grant = grants.find((g) => g.clientId === client.clientId && g.refreshToken === refreshToken);
        return grant && !revoked.has(refreshToken) ? issue(grant.clientId) : invalidGrant;
      }
      if (grantType === "urn:ietf:params:oauth:grant-type:jwt-bearer") {
        const [header, payload, signature] = (form.get("assertion") ?? "").split(".");
        if (!header || !payload || !signature) return invalidGrant;
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
          iss?: string;
          scope?: string;
        };
        const key = serviceAccounts.get(claims.iss ?? "");
        const signed = Buffer.from(`${header}.${payload}`);
        if (!key || !verify("RSA-SHA256", signed, key, Buffer.from(signature, "base64url"))) {
          return { status: 400, body: { error: "invalid_grant", error_description: "Invalid JWT Signature." } };
        }
        if (!claims.scope?.includes(scopeWord)) return { status: 400, body: { error: "invalid_scope" } };
        return issue(claims.iss ?? "");
      }
      return { status: 400, body: { error: "unsupported_grant_type" } };
    },
  };
}

/** The fake token endpoint. */
export type FakeTokenEndpoint = ReturnType<typeof createFakeTokenEndpoint>;
