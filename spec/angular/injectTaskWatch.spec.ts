import { runInInjectionContext } from '@angular/core';
import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Subject } from 'rxjs';
import { injectTaskWatch, provideRunware, withProxy, withWatchOptions, type TaskWatch } from '../../src/angular/index.js';
import { createRunwareProxy } from '../../src/server/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { rawPost } from '../helpers/rawPost.js';
import { FAST_WATCH } from '../helpers/simulatorTasks.js';
import { startTestServer } from '../helpers/testServer.js';
import { appInjector } from './helpers.js';

const MODEL = 'klingai:5@3';

/** Resolves when the watch's status leaves `watching`, read like a template would (signals need no zone); the 8 s cap only stops a hung test. */
async function settled(watch: TaskWatch): Promise<void> {
  for (let turn = 0; turn < 800 && watch.status() === 'watching'; turn += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('injectTaskWatch', () => {
  let simulator: RunningSimulator;
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];

  before(async () => {
    simulator = await startSimulator({ timeScale: 1000, seed: 9 });
    const proxy = createRunwareProxy({ apiKey: simulator.apiKey, baseUrl: simulator.url, allowTaskTypes: ['videoInference'], allowModels: [MODEL], authorize: () => true, watchOptions: FAST_WATCH, streamLinger: 10 });
    server = createServer((request, response) => {
      requests.push(request.method ?? '');
      proxy.listener(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runware`;
  });
  beforeEach(() => requests.splice(0));
  after(async () => {
    server.closeAllConnections();
    server.close();
    await simulator.close();
  });

  async function submit(): Promise<string> {
    const taskUUID = crypto.randomUUID();
    const reply = await rawPost(baseUrl, null, [{ taskType: 'videoInference', taskUUID, model: MODEL, positivePrompt: 'a fox', duration: 5, numberResults: 2, deliveryMethod: 'async' }]);
    expect(reply.status, reply.text).to.equal(200);
    return taskUUID;
  }

  it('fills signals from the event stream until the task is done, with no poll from the page (zoneless)', async () => {
    const taskUUID = await submit();
    const injector = appInjector('browser', [provideRunware(withProxy(baseUrl))]);
    const watch = runInInjectionContext(injector, () => injectTaskWatch(taskUUID, { numberResults: 2 }));
    expect(watch.status()).to.equal('watching');
    await settled(watch);
    expect(watch.status()).to.equal('done');
    expect(watch.generations().map((event) => [event.index, event.status])).to.deep.equal([
      [0, 'success'],
      [1, 'success'],
    ]);
    expect(requests).to.deep.equal(['POST', 'GET']);
    injector.destroy();
  });

  it('moves a generation with its progress, with the progress option (the proxy in polling mode)', async () => {
    let time = 0;
    const stepped = await startSimulator({ now: () => time, timeScale: 1, progress: true });
    try {
      const taskUUID = crypto.randomUUID();
      await rawPost(stepped.url, stepped.apiKey, [{ taskType: 'videoInference', taskUUID, model: MODEL, positivePrompt: 'a fox', duration: 5, deliveryMethod: 'async', simulate: { duration: 40_000 } }]);
      const seen: Array<number | string | undefined> = [];
      let watch: TaskWatch | undefined;
      // Each poll moves the simulator's clock 10 s; before it, the signal shows what the previous reply brought.
      const onAttempt = (): void => {
        const [event] = watch?.generations() ?? [];
        seen.push(event?.status === 'processing' ? event.progress : event?.status);
        time += 10_000;
      };
      const headers = { Authorization: `Bearer ${stepped.apiKey}` };
      const injector = appInjector('browser', [provideRunware(withProxy(stepped.url, { stream: false, headers }), withWatchOptions({ ...FAST_WATCH, onAttempt }))]);
      watch = runInInjectionContext(injector, () => injectTaskWatch(taskUUID, { progress: true }));
      await settled(watch);
      expect(watch.status()).to.equal('done');
      expect(seen.slice(1)).to.deep.equal([0, 25, 50, 75]);
      injector.destroy();
    } finally {
      await stepped.close();
    }
  });

  it('polls the proxy when streaming is off, and stops when the injector (the component) is destroyed', async () => {
    const taskUUID = await submit();
    // A proxy that never answers: the watch's first poll (due at once) stays in flight until destroy.
    const held: IncomingMessage[] = [];
    let heldOne = (): void => undefined;
    const arrived = new Promise<void>((resolve) => (heldOne = resolve));
    const hanging = createServer((request) => {
      held.push(request);
      heldOne();
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const signals: AbortSignal[] = [];
    const platformFetch = globalThis.fetch;
    // Observes the requests the watch sends (they still go out over HTTP), to see the abort at once.
    globalThis.fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return platformFetch(input, init);
    };
    try {
      const hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/api/runware`;
      const injector = appInjector('browser', [provideRunware(withProxy(hangingUrl, { stream: false }), withWatchOptions({ ...FAST_WATCH, initialDelay: 0 }))]);
      const watch = runInInjectionContext(injector, () => injectTaskWatch(taskUUID, { numberResults: 2 }));
      await arrived;
      expect(signals.map((signal) => signal.aborted)).to.deep.equal([false]);
      injector.destroy(); // the component goes: its watch is unsubscribed, which aborts the poll in flight
      expect(signals.map((signal) => signal.aborted)).to.deep.equal([true]);
      const socket = held[0]?.socket;
      if (socket !== undefined && !socket.destroyed) await new Promise((resolve) => socket.once('close', resolve)); // the proxy saw it go
      expect([watch.status(), held.length]).to.deep.equal(['watching', 1]);
    } finally {
      globalThis.fetch = platformFetch;
      hanging.closeAllConnections();
      hanging.close();
    }

    const live = appInjector('browser', [provideRunware(withProxy(baseUrl, { stream: false }), withWatchOptions(FAST_WATCH))]);
    const polled = runInInjectionContext(live, () => injectTaskWatch(taskUUID, { numberResults: 2 }));
    await settled(polled);
    expect(polled.status()).to.equal('done');
    expect(requests.slice(1).every((method) => method === 'POST')).to.equal(true);
    live.destroy();
  });

  it('follows the latest UUID of an Observable, idle on undefined, and records a failure', async () => {
    const injector = appInjector('browser', [provideRunware(withProxy(baseUrl))]);
    const uuids = new Subject<string | undefined>();
    const watch = runInInjectionContext(injector, () => injectTaskWatch(uuids));
    expect(watch.status()).to.equal('idle');
    uuids.next('not-a-uuid');
    expect(watch.status()).to.equal('failed');
    expect(String(watch.error())).to.match(/taskUUID/);
    uuids.next(undefined);
    expect([watch.status(), watch.error()]).to.deep.equal(['idle', undefined]);
    injector.destroy();
  });

  it('exposes the connection: connecting, streaming while the stream is open, polling with stream off, idle once done', async () => {
    const stream = await startTestServer();
    const taskUUID = crypto.randomUUID();
    let finish: (() => void) | undefined;
    stream.handler = (_seen, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' }).write('retry: 1000\n\n');
      const done = { status: 'success', taskUUID, taskType: 'videoInference', index: 0, result: { taskUUID, taskType: 'videoInference', status: 'success', videoURL: 'https://example.com/a.mp4' } };
      finish = () => response.end(`id: 1\nevent: generation\ndata: ${JSON.stringify(done)}\n\nid: 2\nevent: end\ndata: {}\n\n`);
    };
    const injector = appInjector('browser', [provideRunware(withProxy(stream.url.replace('/v1', '/api/runware')))]);
    const watch = runInInjectionContext(injector, () => injectTaskWatch(taskUUID, { numberResults: 1 }));
    expect(watch.connection()).to.equal('connecting');
    // The stream stays open until the test ends it: 'streaming' holds meanwhile (the 8 s cap only stops a hung test).
    for (let turn = 0; turn < 800 && watch.connection() === 'connecting'; turn += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([watch.connection(), watch.status()]).to.deep.equal(['streaming', 'watching']);
    finish?.();
    await settled(watch);
    expect([watch.status(), watch.connection()]).to.deep.equal(['done', 'idle']);
    injector.destroy();
    await stream.close();

    const polled = await submit();
    const polling = appInjector('browser', [provideRunware(withProxy(baseUrl, { stream: false }), withWatchOptions(FAST_WATCH))]);
    const pollingWatch = runInInjectionContext(polling, () => injectTaskWatch(polled, { numberResults: 2 }));
    expect(pollingWatch.connection()).to.equal('polling');
    await settled(pollingWatch);
    expect([pollingWatch.status(), pollingWatch.connection()]).to.deep.equal(['done', 'idle']);
    polling.destroy();
  });

  it('requests nothing during server-side rendering and stays idle', async () => {
    const injector = appInjector('server', [provideRunware(withProxy('/api/runware'))]);
    const watch = runInInjectionContext(injector, () => injectTaskWatch(crypto.randomUUID()));
    expect([watch.status(), watch.connection()]).to.deep.equal(['idle', 'idle']);
    expect(requests).to.deep.equal([]);
    injector.destroy();
  });
});
