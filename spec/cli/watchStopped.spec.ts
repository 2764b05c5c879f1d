import { expect } from 'chai';
import { reportStopped, stoppedExitCode, WatchStopped } from '../../src/cli/watchStopped.js';
import { bufferIo } from '../helpers/bufferIo.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

describe('cli watchStopped', () => {
  it('says that a task on Runware keeps running and billing, and how to follow it again; exit 130 after Ctrl+C', () => {
    const io = bufferIo();
    expect(reportStopped('run', new WatchStopped('interrupted', TASK), io, 'https://api.runware.ai/v1')).to.equal(130);
    expect(io.err()).to.equal(`runware-rx run: stopped watching; task ${TASK} keeps running (and billing) on Runware. Follow it again with: runware-rx watch ${TASK}\n`);
    expect(io.out()).to.equal('');
  });

  it('names a loopback server (a simulator) instead, with its --base-url; exit 141 when the output closed', () => {
    const io = bufferIo();
    expect(reportStopped('watch', new WatchStopped('output closed', TASK), io, 'http://127.0.0.1:8080/v1')).to.equal(141);
    expect(io.err()).to.equal(`runware-rx watch: stopped watching; task ${TASK} keeps running on http://127.0.0.1:8080/v1. Follow it again with: runware-rx watch ${TASK} --base-url http://127.0.0.1:8080/v1\n`);
  });

  it('counts any other https endpoint (a proxy) as Runware', () => {
    const io = bufferIo();
    reportStopped('watch', new WatchStopped('interrupted', TASK), io, 'https://runware-proxy.example.com/v1');
    expect(io.err()).to.include('keeps running (and billing) on Runware').and.include('--base-url https://runware-proxy.example.com/v1');
    expect([stoppedExitCode(new WatchStopped('interrupted', TASK)), stoppedExitCode(new WatchStopped('output closed', TASK))]).to.deep.equal([130, 141]);
  });
});
