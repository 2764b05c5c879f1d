/**
 * Keeps the API key out of any text that leaves the library: error messages, echoed bodies, CLI lines.
 *
 * @module
 */

/** Keys shorter than this are not real Runware keys; blanking them could garble ordinary text. */
const MIN_REDACTED_KEY_LENGTH = 8;

/** What every form of the key is replaced with. */
export const REDACTED = '[redacted]';

/**
 * A function that replaces `apiKey` in a text with `[redacted]`, in each form a server, a proxy or a
 * JSON encoder may give it: literal, percent-encoded (`%48`, as in a URL it was put in) and JSON-escaped
 * (`\u0048`, as in a body read as text), each character in any of these forms. The key is compared
 * trimmed, as the platform's fetch sends it. The pattern is built once per key.
 */
export function keyRedactor(apiKey: string | undefined): (text: string) => string {
  const key = apiKey?.trim() ?? '';
  if (key.length < MIN_REDACTED_KEY_LENGTH) return (text) => text;
  // No 'u' flag: the pattern is plain code units, and a unicode-mode scan of megabytes is several times slower.
  const pattern = new RegExp([...key].map(anyFormOf).join(''), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

/** `text` with every occurrence of `apiKey`, in any of the forms {@link keyRedactor} knows, replaced by `[redacted]`. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return keyRedactor(apiKey)(text);
}

/** A pattern matching one character literally, percent-encoded (its UTF-8 bytes) or JSON-escaped (`\uXXXX`, `\/`, `\"`, `\\`). */
function anyFormOf(char: string): string {
  const literal = char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const percent = [...new TextEncoder().encode(char)].map((byte) => `%${hexPattern(byte, 2)}`).join('');
  const units = Array.from({ length: char.length }, (_unit, index) => `\\\\u${hexPattern(char.charCodeAt(index), 4)}`).join('');
  // JSON's short escapes of the printable characters that have one: \/ (optional), \" and \\ (required).
  const shortEscape = char === '/' || char === '"' || char === '\\' ? `|\\\\${literal}` : '';
  return `(?:${literal}|${percent}|${units}${shortEscape})`;
}

/** `value` as hex digits of `width`, each letter in either case. */
function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')].map((digit) => (/[a-f]/u.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}
