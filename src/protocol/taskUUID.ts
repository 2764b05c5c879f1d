/**
 * Task UUIDs, the one module for them: what counts as one (clients generate UUIDv4; other RFC 9562
 * versions, v7 has been seen, are accepted too) and how a fresh v4 is made.
 *
 * @module
 */

/** A UUID in its canonical 8-4-4-4-12 hex form, any version. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical 8-4-4-4-12 hex form. */
export function isTaskUUID(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Throws a TypeError naming the caller when `value` is not a UUID. */
export function assertTaskUUID(value: unknown, caller: string): asserts value is string {
  if (!isTaskUUID(value)) {
    const shown = typeof value === 'string' ? describeString(value) : value === null ? 'null' : typeof value;
    throw new TypeError(`${caller}: taskUUID must be a UUID like 24cd5dff-cb81-4db5-8506-b72a9425f9d1, got ${shown}`);
  }
}

/**
 * Echoes a string only when it looks like a mistyped UUID (hex and dashes). Anything else may be a
 * secret passed in the wrong place (`watchTask(apiKey)`), so only its length is told.
 */
function describeString(value: string): string {
  if (/^[0-9a-f-]{1,60}$/i.test(value) && value.includes('-')) return JSON.stringify(value);
  return `a string of ${value.length} character${value.length === 1 ? '' : 's'} that is not a UUID`;
}

/**
 * A UUID v4 from the platform's CSPRNG, as Runware asks clients to generate them: `crypto.randomUUID()`
 * where it exists (Node >= 20, browsers in secure contexts), otherwise built from
 * `crypto.getRandomValues` (browsers on plain http). Throws a TypeError when the platform has neither;
 * pass the client a `uuid` factory then.
 */
export function randomTaskUUID(): string {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new TypeError('runware-rx: no crypto.randomUUID or crypto.getRandomValues here: pass createRunwareClient a uuid factory');
  }
  return uuidV4From(webCrypto.getRandomValues(new Uint8Array(16)));
}

/**
 * 16 random bytes (0 to 255) as a UUID v4: RFC 9562 §5.4 sets version 4 in the high nibble of byte 6
 * and variant 10 in the top bits of byte 8; the other 122 bits are the bytes' own.
 */
export function uuidV4From(bytes: ArrayLike<number>): string {
  const hex = Array.from({ length: 16 }, (_, position) => {
    const byte = bytes[position] ?? 0;
    const stamped = position === 6 ? (byte & 0x0f) | 0x40 : position === 8 ? (byte & 0x3f) | 0x80 : byte;
    return stamped.toString(16).padStart(2, '0');
  }).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
