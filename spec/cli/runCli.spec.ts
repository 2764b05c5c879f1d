import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
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
    [['simulate', '--port', '99999'], /--port must be a whole number/],
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

  it('says so when RUNWARE_API_KEY is missing', async () => {
    const io = bufferIo({});
    expect(await runCli(['watch', crypto.randomUUID()], io)).to.equal(1);
    expect(io.err()).to.equal('runware-rx watch: RUNWARE_API_KEY is not set (see runware-rx watch --help)\n');
  });

  it('exits 1 with one line from the real bin on a bad argument', async () => {
    const error = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'watch', '--nope']).then(
      () => undefined,
      (caught: { code?: number; stderr?: string; stdout?: string }) => caught,
    );
    expect(error?.code).to.equal(1);
    expect(error?.stderr).to.equal("runware-rx watch: Unknown option '--nope' (see runware-rx watch --help)\n");
  });
});
