import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { firstValueFrom, of, timeout } from 'rxjs';
import { describeCause, reportError } from '../../src/cli/reportError.js';
import { UsageError } from '../../src/cli/usageError.js';
import { RunwareHttpError } from '../../src/errors/RunwareHttpError.js';
import { createFetchTransport } from '../../src/transport/fetchTransport.js';
import { bufferIo } from '../helpers/bufferIo.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const KEY = 'sk-report-error-key-42';

/** A loopback port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('cli reportError', () => {
  it('prints a network failure with its cause in plain words, from a real refused connection', async () => {
    const port = await closedPort();
    const transport = createFetchTransport({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/v1` });
    const failure = await firstValueFrom(transport([{ taskType: 'ping' }])).catch((caught: unknown) => caught);
    if (!(failure instanceof RunwareHttpError)) throw new Error('expected a RunwareHttpError');
    const io = bufferIo();
    expect(reportError('watch', failure.forTask(TASK).withAttempts(6), io, KEY)).to.equal(1);
    expect(io.err()).to.equal(`runware-rx watch: Runware request failed: network failure after 6 attempts (task ${TASK}): connection refused to 127.0.0.1:${port}\n`);
  });

  it("the README's sample failure is one a real run prints (Node refuses some ports, such as 9, before connecting)", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const sample = /`network failure after 6 attempts \(task \.\.\.\): (connection refused to 127\.0\.0\.1:(\d+))`/.exec(readme);
    if (sample === null) throw new Error('the README shows no sample network failure');
    // The sample's port may be in use here; what matters is that fetch tries it: the cause is then a
    // refusal or nothing, never "bad port".
    const transport = createFetchTransport({ apiKey: KEY, baseUrl: `http://127.0.0.1:${sample[2] ?? ''}/v1` });
    // A server there that never answers has been reached too: the guard only ends the wait.
    const failure = await firstValueFrom(transport([{ taskType: 'ping' }]).pipe(timeout({ first: 2000, with: () => of('no answer') }))).catch((caught: unknown) => caught);
    const cause = failure instanceof RunwareHttpError && failure.failure === 'network' ? describeCause(failure.cause) : undefined;
    expect(cause === undefined || cause === sample[1], `the cause a real run gives: ${String(cause)}`).to.equal(true);
  });

  it('never shows the key, in the message or in the cause', () => {
    const io = bufferIo();
    reportError('run', new RunwareHttpError({ failure: 'network', cause: new Error(`proxy said: bad token ${KEY}`) }), io, KEY);
    expect(io.err()).to.equal('runware-rx run: Runware request failed: network failure: proxy said: bad token [redacted]\n');
  });

  it('adds the help hint to usage errors only', () => {
    const io = bufferIo();
    reportError('runware-rx', new UsageError('missing command'), io);
    reportError('demo', new Error('boom\nsecond line'), io);
    expect(io.err()).to.equal('runware-rx missing command (see runware-rx --help)\nrunware-rx demo: boom\n');
  });

  it('describes causes: known system codes in words, else the fetch reason, else the first line', () => {
    expect(describeCause(new Error('FetchError: request to https://api.runwre.ai/v1 failed, reason: getaddrinfo ENOTFOUND api.runwre.ai'))).to.equal('host not found: api.runwre.ai');
    expect(describeCause(new Error('read ECONNRESET'))).to.equal('connection reset');
    expect(describeCause(new Error('FetchError: request to https://x/v1 failed, reason: socket hang up'))).to.equal('socket hang up');
    expect(describeCause(new Error('TypeError: fetch failed\n    at somewhere'))).to.equal('fetch failed');
    expect(describeCause(new Error('fetch failed: SocketError: other side closed'))).to.equal('connection closed by the server');
    expect([describeCause(undefined), describeCause(null)]).to.deep.equal([undefined, undefined]);
  });
});
