import { auth } from "@googleapis/calendar";
import { type CalendarCredentials, googleTokenUrl, serializeCalendarCredentials } from "./calendar-credentials.js";

/** Read-only access to calendars and their events: all that busy-time sync needs. */
export const calendarReadScope = "https://www.googleapis.com/auth/calendar.readonly";

/** The google-auth-library client that signs Calendar API requests for one link. */
export type CalendarAuthClient = InstanceType<typeof auth.OAuth2> | InstanceType<typeof auth.JWT>;

/** Options of the auth clients. */
export interface CalendarAuthOptions {
  /** Limit on each token request; the token exchange does not see the sync's abort signal. */
  requestTimeoutMs: number;
}

/**
 * Builds the auth client of a link: an OAuth2 client that exchanges the refresh token at the
 * credentials' token_uri, or a service-account JWT client with the read-only calendar scope.
 */
export function createCalendarAuth(credentials: CalendarCredentials, options: CalendarAuthOptions): CalendarAuthClient {
  const transporterOptions = { timeout: options.requestTimeoutMs };
  if (credentials.kind === "oauth") {
    const client = new auth.OAuth2({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      endpoints: { oauth2TokenUrl: credentials.tokenUri },
      transporterOptions,
    });
    client.setCredentials({ refresh_token: credentials.refreshToken });
    return client;
  }
  const client = new auth.JWT({
    email: credentials.clientEmail,
    key: credentials.privateKey,
    keyId: credentials.privateKeyId || undefined,
    scopes: [calendarReadScope],
    transporterOptions,
  });
  if (credentials.tokenUri !== googleTokenUrl) {
    // The JWT client's token exchange (gtoken) has Google's token URL built in; honour the key's token_uri.
    const tokenUrl = new URL(credentials.tokenUri);
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url.toString() === googleTokenUrl) config.url = tokenUrl;
        return config;
      },
    });
  }
  return client;
}

/** Auth clients kept per link, so access tokens are reused across syncs until they expire or fail. */
export interface CalendarAuthCache {
  clientFor(linkId: number, credentials: CalendarCredentials): CalendarAuthClient;
  /** A fresh client (hence a fresh access token) for a link whose token was refused. */
  renew(linkId: number, credentials: CalendarCredentials): CalendarAuthClient;
  forget(linkId: number): void;
}

/** Creates the per-link cache of auth clients; new credentials for a link replace its client. */
export function createCalendarAuthCache(options: CalendarAuthOptions): CalendarAuthCache {
  const clients = new Map<number, { fingerprint: string; client: CalendarAuthClient }>();
  const renew = (linkId: number, credentials: CalendarCredentials): CalendarAuthClient => {
    const client = createCalendarAuth(credentials, options);
    clients.set(linkId, { fingerprint: serializeCalendarCredentials(credentials), client });
    return client;
  };
  return {
    clientFor(linkId, credentials) {
      const cached = clients.get(linkId);
      if (cached && cached.fingerprint === serializeCalendarCredentials(credentials)) return cached.client;
      return renew(linkId, credentials);
    },
    renew,
    forget(linkId) {
      clients.delete(linkId);
    },
  };
}
