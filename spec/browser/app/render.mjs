/**
 * One server-side render of the built app (dist/server/server.mjs, Angular's engine over
 * @angular/platform-server), for `npm run test:browser`: `node render.mjs <page URL> <proxy URL>`.
 * Prints `{ status, html, fetches }` as JSON, where `fetches` lists every request the server process
 * made while rendering (the providers must make none).
 */
const [pageUrl, proxyUrl] = process.argv.slice(2);
globalThis.RUNWARE_TEST_PROXY = proxyUrl;
const fetches = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  fetches.push(String(input instanceof Request ? input.url : input));
  return realFetch(input, init);
};
const { reqHandler } = await import(new URL('./dist/server/server.mjs', import.meta.url).href);
const response = await reqHandler(new Request(pageUrl));
// The render has ended (the page was served); exit even if something were left running.
process.stdout.write(JSON.stringify({ status: response.status, html: await response.text(), fetches }), () => process.exit(0));
