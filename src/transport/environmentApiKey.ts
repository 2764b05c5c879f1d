/**
 * The API key a process's environment gives, for a connection with none of its own. Browser bundles get
 * `environmentApiKey.browser.ts` instead (package.json's `browser` field), which reads nothing.
 *
 * @module
 */

/** `RUNWARE_API_KEY` from the environment in Node (a blank one is none); `undefined` in a browser, even one whose bundler defines `process`. */
export function environmentApiKey(): string | undefined {
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string' || typeof (globalThis as { document?: unknown }).document !== 'undefined') return undefined;
  const key = process.env['RUNWARE_API_KEY'];
  return key === undefined || key.trim() === '' ? undefined : key;
}
