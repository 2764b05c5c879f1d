import { expect } from 'chai';
import { demoCommand } from '../../src/cli/demoCommand.js';
import { bufferIo } from '../helpers/bufferIo.js';

describe('cli demo', function () {
  this.timeout(20_000);

  it('runs the demo end to end without a TTY or an API key and exits 0 with the summary', async () => {
    const io = bufferIo({});
    expect(await demoCommand([], io)).to.equal(0);
    const stdout = io.out();
    expect(io.err()).to.equal('');
    expect(stdout).to.match(/^runware-rx demo: simulated Runware at http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(stdout).to.not.include('\x1b[');
    expect(stdout).to.match(/generation 2 {2}✖ error .* timeoutProvider/);
    expect(stdout).to.include('summary: 2 succeeded, 1 failed');
    expect(stdout.match(/ {2}✔ generation \d: http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f-]{36}\.mp4/g)).to.have.length(2);
    expect(stdout).to.include('cost: $0.36');
    // The progress bar moves: generation 3 (210 s simulated) shows several steps before it finishes.
    const steps = new Set(stdout.match(/generation 3 {2}- processing \[[#-]{20}\] \d+%/g));
    expect(steps.size, stdout).to.be.at.least(2);
  });

  it('stops quietly on Ctrl+C, the simulated task ending with the simulator; exit 130', async () => {
    const io = bufferIo({});
    io.stop(); // before the watch starts: it stops at its first chance, whatever the machine's speed
    expect(await demoCommand(['--json'], io)).to.equal(130);
    expect(io.err()).to.equal('');
    expect(io.out()).to.equal('');
  });

  it('--push: submits with a webhookURL to a loopback receiver and says which events came by push and which by poll', async () => {
    const io = bufferIo({});
    expect(await demoCommand(['--push'], io)).to.equal(0);
    const stdout = io.out();
    expect(io.err()).to.equal('');
    expect(stdout).to.match(/webhook receiver at http:\/\/127\.0\.0\.1:\d+\/runware\/webhook\n/);
    expect(stdout).to.include('summary: 2 succeeded, 1 failed');
    const sources = stdout.slice(stdout.indexOf('how each event came:'));
    for (const finished of ['generation 1 success', 'generation 2 error', 'generation 3 success']) expect(sources).to.match(new RegExp(`  ${finished}: by (push|poll)\n`));
    // The webhooks land at the finishes; the safety net polls once before them (1 s) and once between (3 s).
    expect(sources).to.match(/\n[1-3] webhooks, [1-3] polls\n$/);
  });
});
