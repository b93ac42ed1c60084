import { JWT } from "google-auth-library";

/** The scope of the Maps Booking API. */
export const mapsBookingScope = "https://www.googleapis.com/auth/mapsbooking";

const googleTokenUrl = "https://oauth2.googleapis.com/token";

/** The fields of a service-account key file the notifier uses. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

/** Reads a service-account key JSON; errors name the missing field, never a value. */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
  const key = JSON.parse(text) as Partial<ServiceAccountKey> & { type?: string };
  if (key.type !== undefined && key.type !== "service_account") throw new Error("expected a service_account key");
  if (!key.client_email) throw new Error("the key has no client_email");
  if (!key.private_key) throw new Error("the key has no private_key");
  return key as ServiceAccountKey;
}

/** Something that adds `Authorization` to a request. */
export type RequestSigner = () => Promise<Record<string, string>>;

/**
 * A google-auth-library JWT client for the key, with the Maps Booking scope. Tokens are cached and
 * refreshed by the library; the key's token_uri is honoured (the library has Google's built in).
 */
export function createRequestSigner(key: ServiceAccountKey, timeoutMs: number): RequestSigner {
  const client = new JWT({
    email: key.client_email,
    key: key.private_key,
    ...(key.private_key_id ? { keyId: key.private_key_id } : {}),
    scopes: [mapsBookingScope],
    transporterOptions: { timeout: timeoutMs },
  });
  if (key.token_uri && key.token_uri !== googleTokenUrl) {
    const tokenUrl = new URL(key.token_uri);
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url?.toString() === googleTokenUrl) config.url = tokenUrl;
        return config;
      },
    });
  }
  return async (): Promise<Record<string, string>> => {
    const headers = await client.getRequestHeaders();
    const authorization = headers.get("authorization");
    return authorization ? { authorization } : {};
  };
}
