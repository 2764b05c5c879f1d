/**
 * `npm run test:browser`: runware-rx in a real browser, in an Angular app, with no API key in the page.
 *
 * Bundles the Angular app of spec/browser/app (the docs' example component and providers from
 * examples/angular, Angular's JIT compiler, zoneless) with esbuild against the BUILT package, serves it
 * from 127.0.0.1 together with the app's proxy (createRunwareProxy) at /api/runware in front of the
 * simulator on another loopback port, and drives Debian's Chromium headless with playwright-core (never
 * a downloaded browser) through two pages:
 * - `/`: click Generate; the task is submitted through the proxy, each generation's progress is rendered
 *   from the proxy's event stream, and both videos end ready (screenshots angular-processing.png and
 *   angular-done.png);
 * - `/checks`: the page fetches its own bundle and finds no API key in it, knowing only the SHA-256 of
 *   the key's encodings; served a bundle with the key planted, the same page finds it (checks.png);
 * - then (spec/browser/crossSite.ts) a page on a second origin tries a cross-site submission with the
 *   user's cookie and is refused, while the app's own page still submits.
 * Asserts the rendered DOM, that the key is in no encoding in the bundle the browser received, that the
 * browser spoke only to the page's origin (never to the simulator or Runware's host) and sent no
 * getResponse (one POST, the submit; the rest came from the stream). Screenshots go to
 * .artifacts/browser/. Exits non-zero on any failure.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`) or CHROMIUM_PATH, and `npm run build`.
 */
import { build } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startSimulator } from '../../src/simulator/index.js';
import { createRunwareProxy } from '../../src/server/index.js';
import { refusesCrossSiteSubmission } from './crossSite.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, '.artifacts', 'browser');
const HTML = '<!doctype html><meta charset="utf-8"><title>runware-rx · Angular</title><link rel="icon" href="data:,"><app-root></app-root><script type="module" src="/app.js"></script>';

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`browser test: ${message}`);
}

/** The forms a key could take in a bundle: as is, base64 (plain and URL-safe, with and without padding), hex, URL-encoded. */
function encodingsOf(key: string): readonly string[] {
  const base64 = Buffer.from(key).toString('base64');
  return [key, base64, base64.replace(/=+$/, ''), Buffer.from(key).toString('base64url'), Buffer.from(key).toString('hex'), encodeURIComponent(key)];
}

/** The Angular app, minified as for production, against dist/ (the package as users get it, not the sources behind tsconfig paths). */
async function bundleApp(): Promise<string> {
  const bundle = await build({
    entryPoints: [join(ROOT, 'spec', 'browser', 'app', 'main.ts')],
    tsconfig: join(ROOT, 'spec', 'browser', 'app', 'tsconfig.json'), // experimentalDecorators, as Angular's decorators need
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
    alias: { 'runware-rx': join(ROOT, 'dist', 'index.js'), 'runware-rx/angular': join(ROOT, 'dist', 'angular', 'index.js') },
  });
  const sources = Object.keys(bundle.metafile.inputs).filter((input) => input.startsWith('src/'));
  check(sources.length === 0, `the app was bundled from the sources, not dist/: ${sources.slice(0, 3).join(', ')}`);
  return bundle.outputFiles[0]?.text ?? '';
}

/** Follows one page's errors and console errors into `problems`. */
function watchProblems(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
}

async function main(): Promise<void> {
  check(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  check(existsSync(join(ROOT, 'dist', 'angular', 'index.js')), 'dist/ is missing: npm run build');

  const script = await bundleApp();
  // A key of this run only, so that finding it could only mean it leaked into this bundle.
  const apiKey = `rw-browser-${randomBytes(16).toString('hex')}`;
  const needles = encodingsOf(apiKey);
  check(!needles.some((needle) => script.includes(needle)), 'the bundle contains the API key');
  // What the checks page is told: digests, from which the key cannot be read back.
  const digests = needles.map((needle) => createHash('sha256').update(needle).digest('hex'));
  let served = script;

  const simulator = await startSimulator({ apiKey, durations: { videoInference: { min: 2500, max: 4000 } }, progress: true, seed: 7 });
  const proxy = createRunwareProxy({
    apiKey,
    baseUrl: simulator.url,
    allowTaskTypes: ['videoInference'],
    allowModels: ['klingai:5@3'],
    authorize: () => true, // a real app checks its session here
    watchOptions: { initialDelay: 200, interval: 200, multiplier: 1, maxInterval: 200 },
    streamLinger: 100,
  });
  const proxied: string[] = [];
  const pages = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path?.startsWith('/api/runware')) {
      proxied.push(`${request.method ?? ''} ${(request.url ?? '').replace(/[0-9a-f-]{36}/, ':uuid')}`);
      proxy.listener(request, response);
    } else if (path === '/app.js') response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' }).end(served);
    else if (path === '/checks/needles') response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(digests));
    else if (path === '/' || path === '/checks') response.writeHead(200, { 'Content-Type': 'text/html' }).end(HTML);
    else response.writeHead(404).end();
  });
  await new Promise<void>((done) => pages.listen(0, '127.0.0.1', done));
  const pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  const userDataDir = await mkdtemp(join(tmpdir(), 'runware-rx-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems: string[] = [];
  // Every request of every page and worker of this browser, whatever it was for.
  const requested = new Set<string>();
  context.on('request', (request) => requested.add(new URL(request.url()).origin));
  try {
    // Page 1: the app. Generate, progress from the event stream, both videos ready.
    const app = context.pages()[0] ?? (await context.newPage());
    watchProblems(app, problems);
    await app.goto(`${pageOrigin}/`);
    await app.getByRole('button', { name: 'Generate' }).click();
    const rendering = app.locator('app-video-progress li', { hasText: /rendering \d+/ }).first();
    await rendering.waitFor({ timeout: 15_000 });
    const processingText = await rendering.innerText();
    await app.screenshot({ path: join(ARTIFACTS, 'angular-processing.png'), fullPage: true });
    await app.locator('app-video-progress p').first().waitFor({ timeout: 30_000 });
    const ending = await app.locator('app-video-progress p').first().innerText();
    check(ending === 'All done.', `the watch did not complete: ${ending}`);
    const items = await app.locator('app-video-progress li').evaluateAll((nodes) =>
      nodes.map((node) => ({ text: (node.textContent ?? '').trim(), href: node.querySelector('a')?.getAttribute('href') ?? '' })),
    );
    const heading = await app.locator('app-video-progress h3').innerText();
    const page = await app.evaluate(() => ({ angular: document.querySelector('app-root')?.getAttribute('ng-version') ?? null, zone: 'Zone' in globalThis }));
    await app.screenshot({ path: join(ARTIFACTS, 'angular-done.png'), fullPage: true });

    check(page.angular?.startsWith('20.') === true && !page.zone, `not a zoneless Angular 20 app: ${JSON.stringify(page)}`);
    check(/^#[01] rendering \d+$/.test(processingText), `no progress was rendered while processing: ${JSON.stringify(processingText)}`);
    check(/^Task [0-9a-f-]{36}$/.test(heading), `no task heading: ${heading}`);
    check(items.length === 2, `expected 2 generations, got ${JSON.stringify(items)}`);
    for (const [index, item] of items.entries()) {
      check(item.text === `#${index} ready`, `generation ${index} not rendered as ready: ${JSON.stringify(item)}`);
      check(item.href.startsWith(new URL(simulator.url).origin), `generation ${index} has no simulator URL: ${item.href}`);
    }
    check(
      JSON.stringify(proxied) === JSON.stringify(['POST /api/runware', 'GET /api/runware/tasks/:uuid/events?numberResults=2']),
      `the app should submit once and then only follow the event stream: ${JSON.stringify(proxied)}`,
    );

    // Page 2: the checks, on the bundle as served; then on one with the key planted, which it must find.
    const checks = await context.newPage();
    watchProblems(checks, problems);
    const findingsOf = async (): Promise<{ readonly keyFound: string; readonly bytes: string; readonly origins: string }> => {
      await checks.goto(`${pageOrigin}/checks`);
      await checks.locator('#findings, #failure').first().waitFor({ timeout: 15_000 });
      check((await checks.locator('#failure').count()) === 0, `the checks page failed: ${await checks.locator('#failure').innerText().catch(() => '')}`);
      return { keyFound: await checks.locator('#key-found').innerText(), bytes: await checks.locator('#bundle-bytes').innerText(), origins: await checks.locator('#origins').innerText() };
    };
    const clean = await findingsOf();
    await checks.screenshot({ path: join(ARTIFACTS, 'checks.png'), fullPage: true });
    check(clean.keyFound === 'none', `the checks page found the key in the bundle: ${JSON.stringify(clean)}`);
    check(clean.bytes.startsWith(`${Buffer.byteLength(script)} bytes`), `the checks page did not read the whole bundle: ${clean.bytes}`);
    check(clean.origins === pageOrigin, `the checks page requested other origins: ${clean.origins}`);
    served = `${script}\n;globalThis.leak=${JSON.stringify(Buffer.from(apiKey).toString('base64'))};`;
    const planted = await findingsOf();
    check(planted.keyFound === 'FOUND', `the checks page missed a planted key: ${JSON.stringify(planted)}`);

    check(!requested.has('https://api.runware.ai'), "the browser called Runware's host");
    check(!requested.has(new URL(simulator.url).origin), 'the browser called the simulator directly');
    check([...requested].every((origin) => origin === pageOrigin || origin.startsWith('data:')), `the browser spoke to another origin: ${[...requested].join(', ')}`);
    check(problems.length === 0, `errors in the pages: ${problems.join('; ')}`);
    // Page 3 (spec/browser/crossSite.ts): a second origin tries a cross-site submission; after the origin checks above, as it adds origins.
    const crossSite = await refusesCrossSiteSubmission(context);
    console.log(crossSite);
    console.log(
      `browser test passed: Angular ${page.angular} zoneless app, 2 videos ready through the proxy with progress from the event stream; no key in the ${Buffer.byteLength(script)}-byte bundle (checked in Node and by the checks page); only ${pageOrigin} requested; simulator stats ${JSON.stringify(simulator.stats())}; screenshots in ${ARTIFACTS}`,
    );
  } finally {
    await context.close();
    await simulator.close();
    pages.closeAllConnections();
    await new Promise<void>((done) => pages.close(() => done()));
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
