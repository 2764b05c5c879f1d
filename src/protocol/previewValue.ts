/**
 * The short form of a value that error messages quote.
 *
 * @module
 */

/** Longest preview, in characters: enough to recognise a value, short enough for one log line. */
const MAX_PREVIEW = 60;

/** A value as JSON (`undefined` and functions by name), cut to {@link MAX_PREVIEW} characters with `...`. */
export function previewValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 3)}...` : text;
}
