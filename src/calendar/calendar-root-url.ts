/** A Calendar API root URL that cannot be used; commands refuse it before they start. */
export class CalendarRootUrlError extends Error {
  override readonly name = "CalendarRootUrlError";
}

/**
 * The Calendar API root as the client takes it: an http(s) URL ending in "/", whose path (a proxy's
 * prefix, say) is kept in front of `calendar/v3/...`. `source` names the setting in the error message.
 */
export function parseCalendarRootUrl(text: string, source = "the Calendar API root URL"): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CalendarRootUrlError(`${source} is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CalendarRootUrlError(`${source} must be an http or https URL, not ${url.protocol}`);
  }
  // Not echoed: the value holds a password.
  if (url.username || url.password) throw new CalendarRootUrlError(`${source} must not carry credentials`);
  if (url.search || url.hash) throw new CalendarRootUrlError(`${source} must not carry a query or a fragment`);
  return `${url.origin}${url.pathname.replace(/\/*$/, "/")}`;
}
