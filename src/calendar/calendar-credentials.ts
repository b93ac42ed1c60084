/** Google's OAuth 2.0 token endpoint, used when a credentials file names none. */
export const googleTokenUrl = "https://oauth2.googleapis.com/token";

/** A user's consent as an OAuth refresh token, with the OAuth client it was issued to. */
export interface OAuthRefreshCredentials {
  kind: "oauth";
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenUri: string;
}

/** A service account key; the calendar must be shared with `clientEmail`. */
export interface ServiceAccountCredentials {
  kind: "service_account";
  clientEmail: string;
  privateKey: string;
  privateKeyId: string;
  tokenUri: string;
}

/** How the server authenticates to one linked calendar. */
export type CalendarCredentials = OAuthRefreshCredentials | ServiceAccountCredentials;

/** A credentials file that is not one of the accepted shapes; the message never quotes its values. */
export class CalendarCredentialsError extends Error {
  readonly code = "INVALID_CALENDAR_CREDENTIALS";
  override readonly name = "CalendarCredentialsError";
}

const text = (record: Record<string, unknown>, key: string): string | undefined => {
  const value = record[key];
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
};

/**
 * Parses a credentials file: `{client_id, client_secret, refresh_token}` (an authorized-user file) or a
 * service account key (`type: "service_account"`, `client_email`, `private_key`); `token_uri` is optional.
 */
export function parseCalendarCredentials(json: string): CalendarCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new CalendarCredentialsError("credentials file is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CalendarCredentialsError("credentials file must hold a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const tokenUri = text(record, "token_uri") ?? googleTokenUrl;
  if (!/^https?:\/\//.test(tokenUri)) throw new CalendarCredentialsError("token_uri must be an http(s) URL");
  if (record.type === "service_account" || "private_key" in record) {
    const clientEmail = text(record, "client_email");
    const privateKey = text(record, "private_key");
    if (!clientEmail || !privateKey) {
      throw new CalendarCredentialsError("a service account key needs client_email and private_key");
    }
    return {
      kind: "service_account",
      clientEmail,
      privateKey,
      privateKeyId: text(record, "private_key_id") ?? "",
      tokenUri,
    };
  }
  const clientId = text(record, "client_id");
  const clientSecret = text(record, "client_secret");
  const refreshToken = text(record, "refresh_token");
  const missing = [
    ["client_id", clientId],
    ["client_secret", clientSecret],
    ["refresh_token", refreshToken],
  ].filter(([, value]) => value === undefined);
  if (missing.length > 0 || !clientId || !clientSecret || !refreshToken) {
    throw new CalendarCredentialsError(`OAuth credentials need ${missing.map(([key]) => key).join(", ")}`);
  }
  return { kind: "oauth", clientId, clientSecret, refreshToken, tokenUri };
}

/** The JSON stored for credentials; parsed again with parseCalendarCredentials. */
export function serializeCalendarCredentials(credentials: CalendarCredentials): string {
  return credentials.kind === "oauth"
    ? JSON.stringify({
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        refresh_token: credentials.refreshToken,
        token_uri: credentials.tokenUri,
      })
    : JSON.stringify({
        type: "service_account",
        client_email: credentials.clientEmail,
        private_key: credentials.privateKey,
        private_key_id: credentials.privateKeyId,
        token_uri: credentials.tokenUri,
      });
}
