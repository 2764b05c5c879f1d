/**
 * Keeps the API key out of any text that leaves the library: error messages, echoed bodies, CLI lines.
 *
 * @module
 */

/** Keys shorter than this are not real Runware keys; blanking them could garble ordinary text. */
const MIN_REDACTED_KEY_LENGTH = 8;

/** `text` with every occurrence of `apiKey` replaced by `[redacted]`. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return apiKey === undefined || apiKey.length < MIN_REDACTED_KEY_LENGTH ? text : text.split(apiKey).join('[redacted]');
}
