import { useState } from "preact/hooks";
import type { Merchant } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { type AdminClient, basicAuthorization, createAdminClient, describeError } from "./admin-client.js";

/** A signed-in session: the credential (as its header) and what it may see. */
export interface Session {
  authorization: string;
  user: string;
  client: AdminClient;
  merchants: Merchant[];
}

/** Checks a credential by listing the merchants with it; refused credentials throw UNAUTHENTICATED. */
export async function openSession(user: string, authorization: string): Promise<Session> {
  const client = createAdminClient(authorization);
  const merchants: Merchant[] = [];
  let pageToken = "";
  do {
    const page = await client.listMerchants({ pageSize: 1000, pageToken });
    merchants.push(...page.merchants);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { authorization, user, client, merchants };
}

/** The sign-in form: the admin credential's user and password. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice?: string }) {
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(notice);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await openSession(user, basicAuthorization(user, password)));
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>Front desk console</h1>
      <form onSubmit={submit} aria-describedby={error ? "sign-in-error" : undefined}>
        <label for="user">User name</label>
        <input
          id="user"
          name="user"
          autocomplete="username"
          required
          value={user}
          onInput={(e) => setUser(e.currentTarget.value)}
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error ? (
          <p id="sign-in-error" class="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
