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
 * JSON encoder may give it: literal, percent-encoded (`%48`, as in a URL it was put in), JSON-escaped
 * (`\u0048`, as in a body read as text) and as an HTML entity (`&#72;`, `&#x48;`), each character in
 * any of these forms; and whole, as base64 or base64url (at any byte alignment: all but the at most two
 * bytes at each end that share a base64 group with their neighbours) or as hex in either case. The key
 * is compared trimmed, as the platform's fetch sends it. The pattern is built once per key.
 */
export function keyRedactor(apiKey: string | undefined): (text: string) => string {
  const key = apiKey?.trim() ?? '';
  if (key.length < MIN_REDACTED_KEY_LENGTH) return (text) => text;
  // No 'u' flag: the pattern is plain code units, and a unicode-mode scan of megabytes is several times slower.
  const pattern = new RegExp([...key].map(anyFormOf).join(''), 'g');
  // A second pass: one alternation of both would try every form at every position, several times slower.
  const encoded = new RegExp(encodedForms(key).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED).replace(encoded, REDACTED);
}

/** `text` with every occurrence of `apiKey`, in any of the forms {@link keyRedactor} knows, replaced by `[redacted]`. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return keyRedactor(apiKey)(text);
}

/** A pattern matching one character literally, percent-encoded (its UTF-8 bytes), JSON-escaped (`\uXXXX`, `\/`, `\"`, `\\`) or as an HTML numeric entity. */
function anyFormOf(char: string): string {
  const literal = escapeLiteral(char);
  const percent = [...new TextEncoder().encode(char)].map((byte) => `%${hexPattern(byte, 2)}`).join('');
  const units = Array.from({ length: char.length }, (_unit, index) => `\\\\u${hexPattern(char.charCodeAt(index), 4)}`).join('');
  // JSON's short escapes of the printable characters that have one: \/ (optional), \" and \\ (required).
  const shortEscape = char === '/' || char === '"' || char === '\\' ? `|\\\\${literal}` : '';
  const codePoint = char.codePointAt(0) ?? 0;
  // `&#72;` and `&#x48;`, leading zeros allowed and the semicolon optional, as HTML parsers take them.
  const entity = `&#(?:0*${codePoint}|[xX]0*${hexPattern(codePoint, 1)});?`;
  return `(?:${literal}|${percent}|${units}${shortEscape}|${entity})`;
}

/**
 * The key's bytes as base64 and base64url at each of the three alignments a base64 text may give them
 * (only the groups made of key bytes alone: the rest depends on the neighbours), and as hex.
 */
function encodedForms(key: string): string[] {
  const bytes = new TextEncoder().encode(key);
  const forms: string[] = [];
  for (const skip of [0, 1, 2]) {
    const whole = bytes.subarray(skip, skip + Math.floor((bytes.length - skip) / 3) * 3);
    const base64 = btoa(String.fromCharCode(...whole));
    // A JSON encoder may write `/` as `\/`.
    forms.push(escapeLiteral(base64).replace(/\\\//g, '\\\\?\\/'), escapeLiteral(base64.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  forms.push([...bytes].map((byte) => hexPattern(byte, 2)).join(''));
  return forms;
}

/** `text` as a pattern that matches it literally. */
function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `value` as hex digits of `width`, each letter in either case. */
function hexPattern(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')].map((digit) => (/[a-f]/u.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}
