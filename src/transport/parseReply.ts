/**
 * A reply body's text as JSON we may keep: nested no deeper than {@link MAX_JSON_DEPTH}, and with the
 * API key redacted in every string after decoding (a key echoed JSON-escaped, `\u0048ARD...`, only
 * becomes the literal key once parsed).
 *
 * @module
 */
import { RunwareDecodeError } from '../errors/RunwareDecodeError.js';
import { previewValue } from '../protocol/previewValue.js';

/**
 * The deepest nesting of arrays and objects a reply may have. A Runware reply is a few levels deep
 * (`data[].field`, a handful more for echoed settings); a deeper one is refused before it is parsed,
 * so that neither `JSON.parse` (which takes seconds on megabytes of `[[[[...`) nor any later walk of
 * ours (redaction, fingerprints, messages) meets a depth that costs time or the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses `text` (already redacted as text by the same `redact`), checks its depth first, and redacts
 * every string of the result, property names included. Throws a {@link RunwareDecodeError} for an empty body, a body that
 * is not JSON (retryable: a proxy's page may pass), or one nested too deep (not retryable).
 */
export function parseReply(text: string, redact: (text: string) => string): unknown {
  if (text.trim() === '') throw new RunwareDecodeError({ issues: ['body: expected JSON, got an empty body'], body: text });
  const depth = nestingDepthOver(text, MAX_JSON_DEPTH);
  if (depth !== undefined) {
    throw new RunwareDecodeError({
      issues: [`body: nested deeper than ${MAX_JSON_DEPTH} levels (the limit of runware-rx, MAX_JSON_DEPTH) at character ${depth}; not parsed`],
      body: undefined,
      retryable: false,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new RunwareDecodeError({ issues: [`body: expected JSON, got ${previewValue(text)}`], body: text });
  }
  // The text was redacted before parsing, in every form the key can take in it; a decoded string can only
  // differ from its text when the text escaped something, so without a backslash there is nothing to walk.
  return text.includes('\\') ? redactStrings(parsed, redact) : parsed;
}

/**
 * The offset at which `text` opens its `limit + 1`th nested array or object, or `undefined` when it
 * never does. One pass over the characters, skipping strings; it does not validate (JSON.parse does).
 */
export function nestingDepthOver(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > limit) return index;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return undefined;
}

/** `value` with `redact` applied to every string and property name; rewrites the freshly parsed value in place. */
function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) value[index] = redactStrings(value[index], redact);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const inner = redactStrings(record[name], redact);
    const shownName = redact(name);
    if (shownName !== name) delete record[name];
    // defineProperty, not assignment: a parsed "__proto__" is an own property and must stay one.
    Object.defineProperty(record, shownName, { value: inner, writable: true, enumerable: true, configurable: true });
  }
  return record;
}
