import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

describe('cli demo (child process)', function () {
  this.timeout(20_000);

  it('runs the demo end to end without a TTY and exits 0 with the summary', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo'], { env: { ...process.env, RUNWARE_API_KEY: '' } });
    expect(stderr).to.equal('');
    expect(stdout).to.match(/^runware-rx demo: simulated Runware at http:\/\/127\.0\.0\.1:\d+\/v1/);
    expect(stdout).to.not.include('\x1b[');
    expect(stdout).to.match(/generation 2 {2}✖ error .* timeoutProvider/);
    expect(stdout).to.include('summary: 2 succeeded, 1 failed');
    expect(stdout.match(/ {2}✔ generation \d: http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f-]{36}\.mp4/g)).to.have.length(2);
    expect(stdout).to.include('cost: $0.36');
  });
});
