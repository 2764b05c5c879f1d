import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { injectRunwareClient, provideRunware, RUNWARE_CONFIG, withProxy, withWatchOptions } from '../../src/angular/index.js';
import { createRunwareProxy } from '../../src/server/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { appInjector } from './helpers.js';
import { runInInjectionContext } from '@angular/core';

describe('provideRunware', () => {
  let simulator: RunningSimulator;
  let server: Server;
  let baseUrl: string;

  before(async () => {
    simulator = await startSimulator({ timeScale: 1000 });
    const proxy = createRunwareProxy({ apiKey: simulator.apiKey, baseUrl: simulator.url, allowTaskTypes: ['imageInference'], allowModels: ['runware:101@1'], authorize: (request) => request.headers.get('x-session') === 'alice' });
    server = createServer(proxy.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runware`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await simulator.close();
  });

  it('resolves the features into one config: the proxy, its headers, stream or polling, watch defaults', () => {
    const injector = appInjector('browser', [provideRunware(withProxy('/rw', { headers: { 'X-Session': 'a' }, stream: false }), withWatchOptions({ timeout: 5000 }), withWatchOptions({ retries: 1 }))]);
    expect(injector.get(RUNWARE_CONFIG)).to.deep.equal({ baseUrl: '/rw', headers: { 'X-Session': 'a' }, stream: false, watchOptions: { timeout: 5000, retries: 1 } });
    expect(appInjector('browser', [provideRunware()]).get(RUNWARE_CONFIG)).to.deep.equal({ baseUrl: '/api/runware', stream: true, watchOptions: {} });
    expect(() => withProxy('')).to.throw(TypeError, /baseUrl/);
  });

  it('injects one key-less client that submits through the proxy with the session header', async () => {
    const injector = appInjector('browser', [provideRunware(withProxy(baseUrl, { headers: () => ({ 'X-Session': 'alice' }) }))]);
    const client = runInInjectionContext(injector, () => injectRunwareClient());
    expect(runInInjectionContext(injector, () => injectRunwareClient())).to.equal(client);
    const ack = await firstValueFrom(client.submit({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a fox' }));
    expect(ack.taskUUID).to.be.a('string');
    expect(simulator.stats().authFailures).to.equal(0);
  });

  it('sends nothing during server-side rendering: every request fails at once, so the page becomes stable', async () => {
    const injector = appInjector('server', [provideRunware(withProxy('/api/runware'))]);
    const client = runInInjectionContext(injector, () => injectRunwareClient());
    const before = simulator.stats().requests;
    const error = await firstValueFrom(client.submit({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt: 'a fox' })).catch((caught: unknown) => caught);
    expect(String((error as Error).cause ?? error)).to.match(/server-side rendering/);
    expect(simulator.stats().requests).to.equal(before);
  });
});
