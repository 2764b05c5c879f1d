/**
 * The browser test's cross-site case (issue 22): a page on a second origin tries to submit through the
 * app's proxy with the user's cookie, as a CSRF would, and is refused; the app's own page still submits.
 *
 * Self-contained: its own simulator, proxy (with a cookie-based `authorize`, as the docs show), app
 * origin and attacker origin, both on 127.0.0.1 with different ports: another origin but the same site,
 * so the browser sends the session cookie (SameSite=Lax) along with the attack. The attack is the one
 * a cookie-based proxy without origin checks falls to:
 * `fetch(proxy, { method: 'POST', mode: 'no-cors', credentials: 'include', body: new Blob([json]) })`
 * (no Content-Type, hence no preflight).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext } from 'playwright-core';
import { createRunwareProxy, type ServerEvent } from '../../src/server/index.js';
import { startSimulator } from '../../src/simulator/index.js';

const PAGE = '<!doctype html><meta charset="utf-8"><title>runware-rx · cross-site</title><link rel="icon" href="data:,"><p>page</p>';

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`browser test (cross-site): ${message}`);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

/** Runs the case in `context` (its own pages); returns a line for the test's summary, or throws. */
export async function refusesCrossSiteSubmission(context: BrowserContext): Promise<string> {
  const simulator = await startSimulator({ timeScale: 100, seed: 11 });
  const refusals: ServerEvent[] = [];
  const proxy = createRunwareProxy({
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    allowTaskTypes: ['imageInference'],
    allowModels: ['runware:101@1'],
    authorize: (request) => /(^|;\s*)session=alice(;|$)/.test(request.headers.get('cookie') ?? ''), // the docs' cookie check
    onEvent: (event) => refusals.push(event),
  });
  const reached: IncomingHttpHeaders[] = [];
  const app = createServer((request, response) => {
    if ((request.url ?? '').startsWith('/api/runware')) {
      reached.push(request.headers);
      proxy.listener(request, response);
    } else response.writeHead(200, { 'Content-Type': 'text/html', 'Set-Cookie': 'session=alice; Path=/; SameSite=Lax; HttpOnly' }).end(PAGE);
  });
  const attacker = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE));
  const appOrigin = await listen(app);
  const attackerOrigin = await listen(attacker);
  const task = (): string => JSON.stringify([{ taskType: 'imageInference', taskUUID: crypto.randomUUID(), model: 'runware:101@1', positivePrompt: 'a fox', deliveryMethod: 'async' }]);
  try {
    // The user signs in to the app (the cookie is set), then visits the attacker's page.
    const page = await context.newPage();
    await page.goto(`${appOrigin}/`);
    await page.goto(`${attackerOrigin}/`);
    const before = simulator.stats().requests;
    const attack = await page.evaluate(
      async ({ url, json }) => {
        const response = await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body: new Blob([json]) });
        return response.type; // opaque: the page learns nothing, but the request went out
      },
      { url: `${appOrigin}/api/runware`, json: task() },
    );
    check(attack === 'opaque', `the attacker's fetch did not go out: ${attack}`);
    const sent = reached.at(-1);
    check(sent !== undefined && (sent.cookie ?? '').includes('session=alice'), 'the attack reached the proxy without the session cookie: the case proves nothing');
    check(sent?.origin === attackerOrigin && sent['sec-fetch-site'] === 'same-site', `unexpected attack headers: ${JSON.stringify({ origin: sent?.origin, site: sent?.['sec-fetch-site'] })}`);
    check(sent?.['content-type'] === undefined, `a no-cors Blob body should carry no Content-Type: ${String(sent?.['content-type'])}`);
    const refusal = refusals.at(-1);
    check(refusal?.code === 'crossOrigin' && refusal.status === 403, `the proxy did not refuse the cross-site submission: ${JSON.stringify(refusal)}`);
    check(simulator.stats().requests === before, 'the cross-site submission reached Runware');

    // The app's own page still submits, with its cookie and a JSON body.
    await page.goto(`${appOrigin}/`);
    const own = await page.evaluate(
      async ({ json }) => {
        const response = await fetch('/api/runware', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json });
        return { status: response.status, body: await response.text() };
      },
      { json: task() },
    );
    check(own.status === 200 && own.body.includes('"taskUUID"'), `the app's own page could not submit: ${JSON.stringify(own)}`);
    check(simulator.stats().requests === before + 1, "the app's submission did not reach Runware");
    await page.close();
    return `a cross-site no-cors submission from ${attackerOrigin} with the session cookie was refused (crossOrigin, 403) and never reached Runware; the app's own page submitted`;
  } finally {
    await stop(app);
    await stop(attacker);
    await simulator.close();
  }
}
