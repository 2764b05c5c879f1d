/**
 * `Retry-After` as a delay. Pure: the current time is passed in (the watch passes `scheduler.now()`).
 *
 * @module
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT`, the format servers send. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT`, obsolete (RFC 850), still to be read. */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** `Sun Nov  6 08:49:37 1994`, obsolete (C's asctime), still to be read. */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * Milliseconds to wait according to a `Retry-After` header (RFC 9110 §10.2.3): delta-seconds (`"120"`)
 * or an HTTP-date in one of its three formats. A date in the past gives 0; anything else (`"Sun 2099"`,
 * `"1.5"`, a date with an impossible day) gives `undefined`, and the header is then ignored.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = parseHttpDate(value, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}

/** An HTTP-date as epoch milliseconds, or `undefined` when `value` is not one. */
function parseHttpDate(value: string, nowMs: number): number | undefined {
  const imf = IMF_FIXDATE.exec(value);
  if (imf !== null) return utc(Number(imf[4]), imf[3], Number(imf[2]), imf.slice(5, 8));
  const rfc850 = RFC_850.exec(value);
  if (rfc850 !== null) return utc(fullYear(Number(rfc850[4]), nowMs), rfc850[3], Number(rfc850[2]), rfc850.slice(5, 8));
  const asctime = ASCTIME.exec(value);
  if (asctime !== null) return utc(Number(asctime[7]), asctime[2], Number(asctime[3]), asctime.slice(4, 7));
  return undefined;
}

/** A two-digit year more than 50 years ahead of now is in the past century (RFC 9110 §5.6.7). */
function fullYear(twoDigits: number, nowMs: number): number {
  const thisYear = new Date(nowMs).getUTCFullYear();
  const candidate = Math.floor(thisYear / 100) * 100 + twoDigits;
  return candidate > thisYear + 50 ? candidate - 100 : candidate;
}

/** Epoch milliseconds of a UTC date and time, or `undefined` when a field is out of range (31 Feb, 25:00). */
function utc(year: number, monthName: string | undefined, day: number, time: ReadonlyArray<string | undefined>): number | undefined {
  const month = MONTHS.indexOf(monthName ?? '');
  const [hours, minutes, seconds] = time.map(Number) as [number, number, number];
  const at = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  const exact =
    at.getUTCFullYear() === year && at.getUTCMonth() === month && at.getUTCDate() === day && at.getUTCHours() === hours && at.getUTCMinutes() === minutes;
  return exact && seconds <= 60 ? at.getTime() : undefined;
}
