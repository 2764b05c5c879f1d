import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';

// The behaviours of the real process, from the built bin as installed: signals and a closed output pipe.
const BIN = 'dist/cli/main.js';

function start(...args: string[]): ChildProcessWithoutNullStreams {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, RUNWARE_API_KEY: '' } });
}

/** Resolves with the first line the child prints, then stops reading: `destroy` closes our end of its stdout pipe. */
function firstLine(child: ChildProcessWithoutNullStreams, destroy: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      if (!text.includes('\n')) return;
      child.stdout.off('data', onData);
      if (destroy) child.stdout.destroy();
      resolve(text.split('\n')[0] ?? '');
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${String(code)} before its first line`)));
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('cli main (the built bin)', function () {
  this.timeout(20_000);

  it('stops cleanly on Ctrl+C, and its last line to a closed pipe is no crash', async () => {
    const child = start('simulate');
    const result = exited(child);
    expect(await firstLine(child, true)).to.match(/^listening on http:\/\/127\.0\.0\.1:\d+\/v1$/);
    child.kill('SIGINT'); // it then writes "stopped after ..." into the pipe nobody reads any more: EPIPE
    expect(await result).to.deep.equal({ code: 0, signal: null, stderr: '' });
  });

  it('`demo --json | head -1`: stops the demo when the reader goes away, without a stack trace', async () => {
    const child = start('demo', '--json');
    const result = exited(child);
    const line = await firstLine(child, true);
    expect(JSON.parse(line)).to.include({ status: 'processing' });
    const { code, stderr } = await result;
    expect(stderr).to.equal('');
    // 141 (128 + SIGPIPE) as for `yes | head -1`; 0 only had the whole demo been written before the pipe closed
    expect([141, 0]).to.include(code);
  });

  it('exits 1 with one line on a bad argument', async () => {
    const child = start('watch', '--nope');
    expect(await exited(child)).to.deep.equal({ code: 1, signal: null, stderr: "runware-rx watch: Unknown option '--nope' (see runware-rx watch --help)\n" });
  });
});
