/**
 * `npm run test:browser`: runware-rx in a real Angular CLI app, built ahead of time against the packed
 * package, rendered on the server, and run in a real browser with no API key in the page.
 *
 * 1. Builds the app of spec/browser/app as a user's app is built: `npm pack` of this package, the
 *    app's own pinned toolchain (`npm ci` in .artifacts/browser-app, kept between runs while its lock
 *    is unchanged; TypeScript 5.9, which Angular 20 requires), the tarball installed with `npm install`,
 *    the docs' example (examples/angular) copied in, then `ng build` (`@angular/build:application`, AOT,
 *    strict templates, zoneless). Any warning of the build fails the test, but for those listed in
 *    KNOWN_WARNINGS (none), which must still occur (so the list shrinks when they are fixed).
 * 2. Serves the browser build from 127.0.0.1 with the app's proxy (createRunwareProxy) at /api/runware in
 *    front of the simulator on another loopback port.
 * 3. Renders `/task?uuid=…` on the server (Angular's engine over @angular/platform-server, in a child
 *    process) for a task that is running: the page is rendered idle, the render ends, and the server
 *    process sends no request at all (the proxy it is given, this test's, sees none).
 * 4. Drives Debian's Chromium headless with playwright-core (never a downloaded browser):
 *    - `/`: click Generate; the task is submitted through the proxy (the client's chunk loads then),
 *      each generation's progress is rendered from the proxy's event stream, and both videos end ready
 *      (screenshots angular-processing.png, angular-done.png);
 *    - `/checks`: the page fetches every script of the app and finds no API key in them, knowing only
 *      the SHA-256 of the key's encodings; served scripts with the key planted, it finds it (checks.png);
 *    - `/task?uuid=…`: a running task on the stream; the server (pages and proxy) goes down and the page
 *      says `reconnecting`, then `polling`; the server comes back with a new proxy (a restart) and the
 *      page goes back to `streaming` by itself, stops polling, and the task ends (restart.png);
 *    - then (spec/browser/crossSite.ts) a page on a second origin tries a cross-site submission with the
 *      user's cookie and is refused, while the app's own page still submits.
 * Asserts the rendered DOM, that the key is in no encoding in any script the browser received, that the
 * browser spoke only to the page's origin (never to the simulator or Runware's host). Screenshots go to
 * .artifacts/browser/. Exits non-zero on any failure.
 *
 * Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`) or CHROMIUM_PATH, npm, and `npm run build`.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createRunwareProxy } from '../../src/server/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { refusesCrossSiteSubmission } from './crossSite.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, '.artifacts', 'browser');
/** The app's sources, as checked in. */
const APP = join(ROOT, 'spec', 'browser', 'app');
/** Where the app is built, with its own node_modules (kept between runs while its lock is unchanged). */
const WORK = join(ROOT, '.artifacts', 'browser-app');

/**
 * Warnings `ng build` may print and the test accepts. None: the package's own code pulls in no CommonJS
 * module (issue 20 removed runtime fp-ts and keeps cross-fetch out of browser bundles). An entry added
 * here must still occur, so the list shrinks when it is fixed.
 */
const KNOWN_WARNINGS: readonly RegExp[] = [];

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`browser test: ${message}`);
}

/** The forms a key could take in a bundle: as is, base64 (plain and URL-safe, with and without padding), hex, URL-encoded. */
function encodingsOf(key: string): readonly string[] {
  const base64 = Buffer.from(key).toString('base64');
  return [key, base64, base64.replace(/=+$/, ''), Buffer.from(key).toString('base64url'), Buffer.from(key).toString('hex'), encodeURIComponent(key)];
}

/** Runs a command to its end; its output (stdout and stderr), or an error with that output when it fails. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', fail);
    child.on('close', (code) => {
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) done(text);
      else fail(new Error(`browser test: ${command} ${args.join(' ')} exited with ${code}:\n${text}`));
    });
  });
}

/** The built app: its browser files and the warnings of its build. */
interface BuiltApp {
  readonly browser: string;
  /** Every script of the browser build, as URL paths (`/main-….js`, the lazy chunks too). */
  readonly scripts: readonly string[];
  readonly warnings: readonly string[];
}

/** Builds the app as a user's app is built: against the packed package, with the app's own toolchain. */
async function buildApp(): Promise<BuiltApp> {
  await rm(join(WORK, 'src'), { recursive: true, force: true });
  await rm(join(WORK, 'dist'), { recursive: true, force: true });
  await mkdir(join(WORK, 'pack'), { recursive: true });
  for (const entry of ['package.json', 'package-lock.json', 'angular.json', 'tsconfig.json', 'render.mjs', 'src']) await cp(join(APP, entry), join(WORK, entry), { recursive: true });
  await cp(join(ROOT, 'examples', 'angular'), join(WORK, 'src', 'app', 'example'), { recursive: true });

  const lock = createHash('sha256').update(await readFile(join(APP, 'package-lock.json'))).digest('hex');
  const installed = join(WORK, 'node_modules', '.installed-lock');
  if (!existsSync(installed) || (await readFile(installed, 'utf8')) !== lock) {
    await run('npm', ['ci', '--no-audit', '--no-fund'], WORK);
    await writeFile(installed, lock);
  }
  // The package as published: dist/ already built by `npm run test:browser`.
  const packed = (await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', join(WORK, 'pack')], ROOT)).trim().split('\n').at(-1) ?? '';
  check(packed.endsWith('.tgz'), `npm pack gave no tarball: ${packed}`);
  await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `./pack/${packed}`], WORK);
  const installedPackage = join(WORK, 'node_modules', 'runware-rx');
  check(existsSync(join(installedPackage, 'dist', 'angular', 'index.js')) && !lstatSync(installedPackage).isSymbolicLink(), 'runware-rx is not installed from the tarball');

  const output = (await run('node', [join('node_modules', '@angular', 'cli', 'bin', 'ng.js'), 'build'], WORK, { NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' })).replace(/\u001b\[[0-9;]*m/g, '');
  const warnings = output.split('\n').filter((line) => /\[WARNING\]/.test(line)).map((line) => line.replace(/^.*\[WARNING\]\s*/, '').trim());
  const browser = join(WORK, 'dist', 'browser');
  const scripts = (await readdir(browser)).filter((file) => file.endsWith('.js')).map((file) => `/${file}`);
  return { browser, scripts, warnings };
}

/** Follows one page's errors and console errors into `problems`. */
function watchProblems(page: Page, problems: string[], expected: RegExp = /$^/): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
}

async function main(): Promise<void> {
  check(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  check(existsSync(join(ROOT, 'dist', 'angular', 'index.js')), 'dist/ is missing: npm run build');

  const app = await buildApp();
  const unexpected = app.warnings.filter((warning) => !KNOWN_WARNINGS.some((known) => known.test(warning)));
  check(unexpected.length === 0, `ng build printed warnings: ${unexpected.join(' | ')}`);
  const gone = KNOWN_WARNINGS.filter((known) => !app.warnings.some((warning) => known.test(warning)));
  check(gone.length === 0, `fixed, so remove from KNOWN_WARNINGS: ${gone.join(', ')}`);

  const files = new Map<string, string>();
  for (const script of app.scripts) files.set(script, await readFile(join(app.browser, script.slice(1)), 'utf8'));
  const indexHtml = await readFile(join(app.browser, 'index.csr.html'), 'utf8');
  const allScripts = [...files.values()].join('\n');
  // A key of this run only, so that finding it could only mean it leaked into this build.
  const apiKey = `rw-browser-${randomBytes(16).toString('hex')}`;
  const needles = encodingsOf(apiKey);
  check(!needles.some((needle) => allScripts.includes(needle)), 'the app contains the API key');
  // What the checks page is told: digests, from which the key cannot be read back.
  const digests = needles.map((needle) => createHash('sha256').update(needle).digest('hex'));
  let planted = false;

  const simulator = await startSimulator({ apiKey, durations: { videoInference: { min: 2500, max: 4000 }, imageInference: { min: 15_000, max: 15_000 } }, progress: true, seed: 7 });
  const startProxy = (): ReturnType<typeof createRunwareProxy> =>
    createRunwareProxy({
      apiKey,
      baseUrl: simulator.url,
      allowTaskTypes: ['videoInference', 'imageInference'],
      allowModels: ['klingai:5@3', 'runware:101@1'],
      authorize: () => true, // a real app checks its session here
      watchOptions: { initialDelay: 200, interval: 200, multiplier: 1, maxInterval: 200 },
      streamLinger: 100,
    });
  let proxy = startProxy();
  const proxied: Array<{ readonly at: number; readonly request: string }> = [];
  const listener = (request: Parameters<typeof proxy.listener>[0], response: Parameters<typeof proxy.listener>[1]): void => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/runware')) {
      proxied.push({ at: performance.now(), request: `${request.method ?? ''} ${(request.url ?? '').replace(/[0-9a-f-]{36}/, ':uuid')}` });
      proxy.listener(request, response);
    } else if (files.has(path)) {
      const text = files.get(path) ?? '';
      response.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' }).end(planted && path === app.scripts[0] ? `${text}\n;globalThis.leak=${JSON.stringify(Buffer.from(apiKey).toString('base64'))};` : text);
    } else if (path === '/checks/scripts') response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(app.scripts));
    else if (path === '/checks/needles') response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(digests));
    else if (path === '/' || path === '/checks' || path === '/task') response.writeHead(200, { 'Content-Type': 'text/html' }).end(indexHtml);
    else response.writeHead(404).end();
  };
  const listen = async (port: number): Promise<Server> => {
    const server = createServer(listener);
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    return server;
  };
  const stop = async (server: Server): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  };
  let pages = await listen(0);
  const port = (pages.address() as AddressInfo).port;
  const pageOrigin = `http://127.0.0.1:${port}`;
  const submit = async (task: Record<string, unknown>): Promise<string> => {
    const taskUUID = crypto.randomUUID();
    const reply = await fetch(`${pageOrigin}/api/runware`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ ...task, taskUUID, deliveryMethod: 'async' }]) });
    check(reply.ok, `the test's submit was refused: ${reply.status} ${await reply.text()}`);
    return taskUUID;
  };
  const userDataDir = await mkdtemp(join(tmpdir(), 'runware-rx-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const imageTask = { taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a fox', numberResults: 1 };

  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const problems: string[] = [];
    // Every request of every page and worker of this browser, whatever it was for.
    const requested = new Set<string>();
    context.on('request', (request) => requested.add(new URL(request.url()).origin));
    // The server-side render of a page that follows a running task: idle, and nothing sent.
    const rendered = await submit(imageTask);
    const before = proxied.length;
    const ssr = JSON.parse(await run('node', ['render.mjs', `${pageOrigin}/task?uuid=${rendered}`, `${pageOrigin}/api/runware`], WORK)) as { status: number; html: string; fetches: string[] };
    check(ssr.status === 200 && ssr.html.includes('ng-server-context="ssr"'), `the server did not render the page: ${ssr.status} ${ssr.html.slice(0, 300)}`);
    check(/id="status">idle</.test(ssr.html) && /id="connection">idle</.test(ssr.html), `the page was not rendered idle: ${ssr.html.slice(ssr.html.indexOf('<app-task-page'), ssr.html.indexOf('</app-task-page>'))}`);
    check(ssr.fetches.length === 0 && proxied.length === before, `the server sent requests while rendering: ${JSON.stringify(ssr.fetches)}`);


    // Page 1: the docs' example. Generate, progress from the event stream, both videos ready.
    const example = context.pages()[0] ?? (await context.newPage());
    watchProblems(example, problems);
    await example.goto(`${pageOrigin}/`);
    proxied.splice(0);
    await example.getByRole('button', { name: 'Generate' }).click();
    const rendering = example.locator('app-video-progress li', { hasText: /rendering \d+/ }).first();
    await rendering.waitFor({ timeout: 15_000 });
    const processingText = await rendering.innerText();
    await example.screenshot({ path: join(ARTIFACTS, 'angular-processing.png'), fullPage: true });
    await example.locator('app-video-progress p').first().waitFor({ timeout: 30_000 });
    const ending = await example.locator('app-video-progress p').first().innerText();
    check(ending === 'All done.', `the watch did not complete: ${ending}`);
    const items = await example.locator('app-video-progress li').evaluateAll((nodes) =>
      nodes.map((node) => ({ text: (node.textContent ?? '').trim(), href: node.querySelector('a')?.getAttribute('href') ?? '' })),
    );
    const heading = await example.locator('app-video-progress h3').innerText();
    const page = await example.evaluate(() => ({ angular: document.querySelector('app-root')?.getAttribute('ng-version') ?? null, zone: 'Zone' in globalThis, jit: (globalThis as { ng?: { ɵcompilerFacade?: unknown } }).ng?.ɵcompilerFacade !== undefined }));
    await example.screenshot({ path: join(ARTIFACTS, 'angular-done.png'), fullPage: true });

    check(page.angular?.startsWith('20.') === true && !page.zone && !page.jit, `not a zoneless Angular 20 app compiled ahead of time: ${JSON.stringify(page)}`);
    check(/^#[01] rendering \d+$/.test(processingText), `no progress was rendered while processing: ${JSON.stringify(processingText)}`);
    check(/^Task [0-9a-f-]{36}$/.test(heading), `no task heading: ${heading}`);
    check(items.length === 2, `expected 2 generations, got ${JSON.stringify(items)}`);
    for (const [index, item] of items.entries()) {
      check(item.text === `#${index} ready`, `generation ${index} not rendered as ready: ${JSON.stringify(item)}`);
      check(item.href.startsWith(new URL(simulator.url).origin), `generation ${index} has no simulator URL: ${item.href}`);
    }
    check(
      JSON.stringify(proxied.map((each) => each.request)) === JSON.stringify(['POST /api/runware', 'GET /api/runware/tasks/:uuid/events?numberResults=2']),
      `the app should submit once and then only follow the event stream: ${JSON.stringify(proxied)}`,
    );

    // Page 2: the checks, on the scripts as served; then with the key planted, which it must find.
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
    check(clean.keyFound === 'none', `the checks page found the key in the app: ${JSON.stringify(clean)}`);
    check(clean.bytes.startsWith(`${Buffer.byteLength(allScripts)} bytes`), `the checks page did not read every script (${app.scripts.length}): ${clean.bytes}`);
    check(clean.origins === pageOrigin, `the checks page requested other origins: ${clean.origins}`);
    planted = true;
    const withKey = await findingsOf();
    planted = false;
    check(withKey.keyFound === 'FOUND', `the checks page missed a planted key: ${JSON.stringify(withKey)}`);

    // Page 3: a proxy restart. The server goes down while the page streams; the page polls (its
    // requests fail meanwhile, as they should); the server comes back and the page streams again.
    const restart = await context.newPage();
    watchProblems(restart, problems, /Failed to load resource|ERR_CONNECTION_REFUSED/);
    const followed = await submit(imageTask);
    await restart.goto(`${pageOrigin}/task?uuid=${followed}`);
    // Every connection the page shows, in order, as the page's own observer saw them (a script as text:
    // tsx would wrap a function's inner functions in a helper the page does not have).
    await restart.evaluate(`{
      const seen = (globalThis.connections = []);
      const record = () => {
        const text = document.querySelector('#connection')?.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      };
      record();
      new MutationObserver(record).observe(document.body, { subtree: true, characterData: true, childList: true });
    }`);
    const connectionIs = async (value: string, timeout: number): Promise<void> => {
      await restart.waitForFunction((wanted) => document.querySelector('#connection')?.textContent === wanted, value, { timeout }).catch(async () => {
        const shown = await restart.evaluate('globalThis.connections.join(" > ")');
        check(false, `the page did not show '${value}' within ${timeout} ms; it showed ${String(shown)}`);
      });
    };
    await connectionIs('streaming', 15_000);
    await stop(pages);
    await connectionIs('polling', 15_000);
    proxy = startProxy(); // a new process would start with nothing in memory, as this one does
    pages = await listen(port);
    const back = performance.now();
    await connectionIs('streaming', 30_000);
    const resumed = performance.now();
    await restart.locator('#status', { hasText: 'done' }).waitFor({ timeout: 30_000 });
    await restart.screenshot({ path: join(ARTIFACTS, 'restart.png'), fullPage: true });
    const connections = await restart.evaluate(() => (globalThis as { connections?: string[] }).connections ?? []);
    const generations = await restart.locator('app-task-page li').allInnerTexts();
    check(generations.join() === '#0 success', `the task did not end after the restart: ${JSON.stringify(generations)}`);
    const shown = connections.filter((state) => state !== 'connecting').join(' > ');
    check(/^(idle > )?streaming > (reconnecting > )+polling > streaming > idle$/.test(shown), `the page should stream, reconnect, poll, then stream again: ${shown}`);
    const pollsAfter = proxied.filter((each) => each.at > resumed + 1000 && each.request.startsWith('POST'));
    check(pollsAfter.length === 0, `the page kept polling after it went back to the stream: ${JSON.stringify(pollsAfter)}`);
    check(proxied.some((each) => each.at >= back && each.request.startsWith('GET') && each.request.includes('/events')), 'the page did not reopen the stream on the restarted proxy');

    check(!requested.has('https://api.runware.ai'), "the browser called Runware's host");
    check(!requested.has(new URL(simulator.url).origin), 'the browser called the simulator directly');
    check([...requested].every((origin) => origin === pageOrigin || origin.startsWith('data:')), `the browser spoke to another origin: ${[...requested].join(', ')}`);
    check(problems.length === 0, `errors in the pages: ${problems.join('; ')}`);
    // Page 3 (spec/browser/crossSite.ts): a second origin tries a cross-site submission; after the origin checks above, as it adds origins.
    const crossSite = await refusesCrossSiteSubmission(context);
    console.log(crossSite);
    console.log(
      `browser test passed: Angular ${page.angular} zoneless AOT app (ng build, @angular/build:application) against the packed package, ${app.scripts.length} scripts, ${Buffer.byteLength(allScripts)} bytes, no key in them; server-side render idle with no request; 2 videos ready through the proxy with progress from the event stream; after a proxy restart the page went ${shown}; only ${pageOrigin} requested; simulator stats ${JSON.stringify(simulator.stats())}; screenshots in ${ARTIFACTS}`,
    );
  } finally {
    await context?.close();
    await simulator.close();
    if (pages.listening) await stop(pages);
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
