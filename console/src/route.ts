import { useEffect, useState } from "preact/hooks";

/** The page the hash names: `#/booking/b1?x=1` is path `/booking/b1` with params `x=1`. */
export interface Route {
  path: string;
  params: URLSearchParams;
}

function current(): Route {
  const hash = window.location.hash.replace(/^#/, "") || "/bookings";
  const [path = "/bookings", query = ""] = hash.split("?", 2);
  return { path, params: new URLSearchParams(query) };
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

/** A link target for a path and its params (empty values left out). */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}

/** Goes to a page, adding it to the history. */
export function navigate(path: string, params: Record<string, string | undefined> = {}): void {
  window.location.hash = href(path, params);
}
