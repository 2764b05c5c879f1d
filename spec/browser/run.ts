/**
 * `npm run test:browser`: runware-rx in a real browser, with no API key in the page. Bundles page.ts
 * against the BUILT package with esbuild, serves it from 127.0.0.1 together with the app's proxy
 * (createRunwareProxy) at /api/runware in front of the simulator on another loopback port,
 * and drives Debian's Chromium headless with playwright-core (never a downloaded browser) through a
 * whole watch: submit through the proxy, processing with progress from the event stream, two videos
 * ready. Asserts the rendered DOM, that the bundle holds no key, that the page spoke only to its own
 * origin (never to the simulator or Runware's host) and sent no getResponse (one POST, the submit; the
 * rest came from the stream), and saves screenshots to .artifacts/browser/ (watch-processing.png,
 * watch.png). Exits non-zero on any failure.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`) or CHROMIUM_PATH, and `npm run build`.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startSimulator } from '../../src/simulator/index.js';
import { createRunwareProxy } from '../../src/server/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, '.artifacts', 'browser', 'watch.png');

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`browser test: ${message}`);
}

async function main(): Promise<void> {
  check(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  check(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is missing: npm run build');

  const bundle = await build({
    entryPoints: [join(ROOT, 'spec', 'browser', 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    // The page must use the package as users get it, not the sources behind tsconfig paths.
    alias: { 'runware-rx': join(ROOT, 'dist', 'index.js') },
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const html = '<!doctype html><meta charset="utf-8"><title>runware-rx</title><link rel="icon" href="data:,"><h1>runware-rx in the browser</h1><p id="status">starting</p><ul id="generations"></ul><script type="module" src="/page.js"></script>';

  const simulator = await startSimulator({ durations: { videoInference: { min: 2500, max: 4000 } }, progress: true, seed: 7 });
  check(!script.includes(simulator.apiKey), 'the bundle contains the API key');
  const proxy = createRunwareProxy({
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    allowTaskTypes: ['videoInference'],
    allowModels: ['klingai:5@3'],
    authorize: () => true, // a real app checks its session here
    watchOptions: { initialDelay: 200, interval: 200, multiplier: 1, maxInterval: 200 },
    streamLinger: 100,
  });
  const proxied: string[] = [];
  const pages = createServer((request, response) => {
    if (request.url?.startsWith('/api/runware')) {
      proxied.push(`${request.method ?? ''} ${(request.url ?? '').replace(/[0-9a-f-]{36}/, ':uuid')}`);
      proxy.listener(request, response);
    } else if (request.url === '/page.js') response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else if (request.url?.startsWith('/?') || request.url === '/') response.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    else response.writeHead(404).end();
  });
  await new Promise<void>((done) => pages.listen(0, '127.0.0.1', done));
  const pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  const userDataDir = await mkdtemp(join(tmpdir(), 'runware-rx-chromium-'));

  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));

    const seen = new Set<string>();
    page.on('request', (request) => seen.add(new URL(request.url()).origin));
    await page.goto(`${pageOrigin}/`);
    await page.waitForSelector('li[data-status="processing"]', { timeout: 15_000 });
    const processingText = await page.locator('#generations').innerText();
    await mkdir(join(ROOT, '.artifacts', 'browser'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-processing.png'), fullPage: true });
    await page.waitForSelector('body[data-state]', { timeout: 30_000 });

    const state = await page.evaluate(() => document.body.dataset['state']);
    const statusText = await page.locator('#status').innerText();
    check(state === 'done', `the watch did not complete: ${statusText}`);
    const items = await page.locator('#generations li').evaluateAll((nodes) =>
      nodes.map((node) => ({ status: (node as HTMLElement).dataset['status'], text: node.textContent ?? '', href: node.querySelector('a')?.getAttribute('href') ?? '' })),
    );
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    check(/rendering( \d+%)?/.test(processingText), `no progress was rendered while processing: ${JSON.stringify(processingText)}`);
    check(items.length === 2, `expected 2 generations, got ${JSON.stringify(items)}`);
    for (const [index, item] of items.entries()) {
      check(item.status === 'success' && item.text === `#${index} ready`, `generation ${index} not rendered as ready: ${JSON.stringify(item)}`);
      check(item.href.startsWith(new URL(simulator.url).origin), `generation ${index} has no simulator URL: ${item.href}`);
    }
    check(statusText === 'all generations finished', `status: ${statusText}`);
    check([...seen].every((origin) => origin === pageOrigin || origin === 'null' || origin.startsWith('data:')), `the page spoke to another origin: ${[...seen].join(', ')}`);
    check(!seen.has('https://api.runware.ai'), "the page called Runware's host");
    check(
      JSON.stringify(proxied) === JSON.stringify(['POST /api/runware', 'GET /api/runware/tasks/:uuid/events?numberResults=2']),
      `the page should submit once and then only follow the event stream: ${JSON.stringify(proxied)}`,
    );
    check(problems.length === 0, `errors in the page: ${problems.join('; ')}`);
    const stats = simulator.stats();
    console.log(`browser test passed: 2 videos ready through the proxy, no key in the page, events streamed; simulator stats ${JSON.stringify(stats)}; screenshot ${SCREENSHOT}`);
  } finally {
    await context.close();
    await simulator.close();
    await new Promise<void>((done) => pages.close(() => done()));
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
