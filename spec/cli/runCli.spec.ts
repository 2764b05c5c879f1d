import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runCli } from '../../src/cli/runCli.js';
import { bufferIo } from '../helpers/bufferIo.js';

describe('cli runCli', () => {
  for (const command of ['demo', 'watch', 'run', 'simulate']) {
    it(`prints help for ${command} --help and exits 0`, async () => {
      const io = bufferIo();
      expect(await runCli([command, '--help'], io)).to.equal(0);
      expect(io.out()).to.match(new RegExp(`^Usage: runware-rx ${command}`));
    });
  }

  it('prints the command list for --help', async () => {
    const io = bufferIo();
    expect(await runCli(['--help'], io)).to.equal(0);
    expect(io.out()).to.include('demo').and.include('simulate');
  });

  it('prints the version for --version and -v', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const io = bufferIo();
      expect(await runCli([flag], io)).to.equal(0);
      expect(io.out()).to.equal(`${version}\n`);
    }
  });

  const bad: Array<[string[], RegExp]> = [
    [[], /missing command/],
    [['frob'], /unknown command "frob"/],
    [['watch'], /expected exactly one taskUUID/],
    [['watch', 'not-a-uuid'], /not a taskUUID/],
    [['watch', '--bogus'], /Unknown option '--bogus'/],
    [['watch', crypto.randomUUID(), '--number-results', 'two'], /--number-results must be a whole number/],
    [['run', '--prompt', 'a fox'], /--model is required/],
    [['run', '--model', 'klingai:5@3', '--prompt', 'a fox', '--type', 'hologram'], /--type must be video, image or audio/],
    [['run', '--model', 'klingai:5@3', '--prompt', 'a fox', '--number-results', '9'], /--number-results must be a whole number from 1 to 4/],
    [['run', '--model', 'runware:101@1', '--prompt', 'a fox', '--type', 'image', '--duration', '5'], /--duration is for video tasks only: image tasks have no duration/],
    [['simulate', '--port', '99999'], /--port must be a whole number/],
    [['simulate', '--host', '0.0.0.0'], /--host must be a loopback address \(127\.0\.0\.1, ::1 or localhost\), got "0\.0\.0\.0"/],
    [['simulate', '--host', '192.168.1.20'], /--host must be a loopback address/],
    [['simulate', '--time-scale', '0'], /--time-scale must be a positive number/],
    [['demo', 'extra'], /Unexpected argument 'extra'/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses \`${argv.join(' ')}\` with one line and exit 1`, async () => {
      const io = bufferIo({ RUNWARE_API_KEY: 'sim-test-key-123' });
      expect(await runCli(argv, io)).to.equal(1);
      expect(io.err()).to.match(message);
      expect(io.err().trimEnd().split('\n')).to.have.length(1);
      expect(io.out()).to.equal('');
    });
  }

  it('says so when there is no API key', async () => {
    const io = bufferIo({});
    expect(await runCli(['watch', crypto.randomUUID()], io)).to.equal(1);
    expect(io.err()).to.equal('runware-rx watch: no API key: pass --api-key or set RUNWARE_API_KEY (see runware-rx watch --help)\n');
  });

  it('never echoes a key given with --api-key, even in an error about another argument', async () => {
    const key = 'sk-given-on-the-command-line-7';
    const io = bufferIo({});
    expect(await runCli(['run', '--api-key', key, '--model', 'klingai:5@3', '--prompt', 'a fox', key], io)).to.equal(1);
    expect(io.err()).to.equal("runware-rx run: Unexpected argument '[redacted]' (see runware-rx run --help)\n");
  });
});
