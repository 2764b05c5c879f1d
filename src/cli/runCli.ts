/**
 * The `runware-rx` command line: dispatch to a command, or help.
 *
 * @module
 */
import type { CliIo } from './cliIo.js';
import { demoCommand } from './demoCommand.js';
import { DOCS_URL } from './docsUrl.js';
import { packageVersion } from './packageVersion.js';
import { reportError } from './reportError.js';
import { resumeCommand } from './resumeCommand.js';
import { runCommand } from './runCommand.js';
import { simulateCommand } from './simulateCommand.js';
import { UsageError } from './usageError.js';
import { watchCommand } from './watchCommand.js';

/** Help text of `runware-rx` itself. */
export const MAIN_HELP = `Usage: runware-rx <command> [options]
       runware-rx --version

Commands:
  demo        watch a simulated video task live (no API key, no credits)
  watch       follow an existing task: runware-rx watch <taskUUID>
  run         submit a task, then watch it
  resume      finish what a crashed process left: runware-rx resume --store FILE
  simulate    run the Runware simulator in the foreground

Run "runware-rx <command> --help" for a command's options.
Guides and API: ${DOCS_URL}
`;

const COMMANDS: Readonly<Record<string, (args: ReadonlyArray<string>, io: CliIo) => Promise<number>>> = {
  demo: demoCommand,
  watch: watchCommand,
  run: runCommand,
  resume: resumeCommand,
  simulate: simulateCommand,
};

/** Runs the CLI with `argv` (without node and the script); resolves with the exit code. */
export async function runCli(argv: ReadonlyArray<string>, io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(MAIN_HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined) return reportError('runware-rx', new UsageError('missing command: demo, watch, run, resume or simulate'), io);
  const command = COMMANDS[name];
  if (command === undefined) return reportError('runware-rx', new UsageError(`unknown command ${JSON.stringify(name.slice(0, 40))}: use demo, watch, run, resume or simulate`), io);
  return command(args, io);
}
