import { useEffect, useMemo, useState } from "preact/hooks";
import { isUnauthenticated } from "./admin-client.js";
import { BlocksPage } from "./blocks-page.js";
import { BookingPage } from "./booking-page.js";
import { BookingsPage } from "./bookings-page.js";
import { CalendarsPage } from "./calendars-page.js";
import { ConsoleContext, type ConsoleContextValue } from "./console-context.js";
import { OutboxPage } from "./outbox-page.js";
import { PendingPage } from "./pending-page.js";
import { href, useRoute } from "./route.js";
import { openSession, type Session, SignIn } from "./sign-in.js";

const storedCredential = "booking-console.credential";
const storedMerchant = "booking-console.merchant";
/** How often pages look for changes made elsewhere. */
const pollMs = 3000;

const pages = [
  { path: "/bookings", label: "Bookings" },
  { path: "/pending", label: "To confirm" },
  { path: "/blocks", label: "Blocked time" },
  { path: "/calendars", label: "Calendars" },
  { path: "/outbox", label: "Updates sent" },
];

/** The console: sign-in, then the merchant's pages. The credential lives in this tab's sessionStorage only. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(storedCredential) !== null);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [merchantId, setMerchantId] = useState(() => sessionStorage.getItem(storedMerchant) ?? "");
  const route = useRoute();

  useEffect(() => {
    const saved = sessionStorage.getItem(storedCredential);
    if (!saved) return;
    const { user, authorization } = JSON.parse(saved) as { user: string; authorization: string };
    openSession(user, authorization).then(
      (restored) => {
        setSession(restored);
        setRestoring(false);
      },
      (error: unknown) => {
        if (isUnauthenticated(error)) sessionStorage.removeItem(storedCredential);
        setNotice(isUnauthenticated(error) ? "Your sign-in is no longer valid. Sign in again." : undefined);
        setRestoring(false);
      },
    );
  }, []);

  const signedIn = (opened: Session) => {
    sessionStorage.setItem(
      storedCredential,
      JSON.stringify({ user: opened.user, authorization: opened.authorization }),
    );
    setNotice(undefined);
    setSession(opened);
  };
  const signOut = () => {
    sessionStorage.removeItem(storedCredential);
    setSession(undefined);
  };

  const merchant = session?.merchants.find((m) => m.merchantId === merchantId) ?? session?.merchants[0];
  const context = useMemo<ConsoleContextValue | undefined>(
    () =>
      session && merchant
        ? { client: session.client, merchant, timeZone: merchant.timeZone || "UTC", pollMs }
        : undefined,
    [session, merchant],
  );

  if (restoring) {
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  }
  if (!session) return <SignIn onSignedIn={signedIn} notice={notice} />;

  const choose = (id: string) => {
    sessionStorage.setItem(storedMerchant, id);
    setMerchantId(id);
  };
  const top = `/${route.path.split("/")[1] ?? ""}`;
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Front desk</span>
        <label class="merchant-picker">
          <span>Merchant</span>
          <select value={merchant?.merchantId ?? ""} onChange={(e) => choose(e.currentTarget.value)}>
            {session.merchants.map((m) => (
              <option key={m.merchantId} value={m.merchantId}>
                {m.name || m.merchantId}
              </option>
            ))}
          </select>
        </label>
        {merchant ? <span class="zone">Times in {merchant.timeZone || "UTC"}</span> : null}
        <nav aria-label="Pages">
          <ul>
            {pages.map((page) => (
              <li key={page.path}>
                <a
                  href={href(page.path)}
                  aria-current={
                    top === page.path || (top === "/booking" && page.path === "/bookings") ? "page" : undefined
                  }
                >
                  {page.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="user">
          {session.user}{" "}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {context ? (
          <ConsoleContext.Provider value={context}>
            <Page route={route} key={`${context.merchant.merchantId}`} />
          </ConsoleContext.Provider>
        ) : (
          <p>No merchant yet: import a feed first (booking-server feed import).</p>
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: ReturnType<typeof useRoute> }) {
  const [, section, id] = route.path.split("/");
  switch (section) {
    case "booking":
      return <BookingPage bookingId={decodeURIComponent(id ?? "")} />;
    case "pending":
      return <PendingPage />;
    case "blocks":
      return <BlocksPage params={route.params} />;
    case "calendars":
      return <CalendarsPage />;
    case "outbox":
      return <OutboxPage />;
    default:
      return <BookingsPage params={route.params} />;
  }
}
