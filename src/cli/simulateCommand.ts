/**
 * `runware-rx simulate`: the simulator in the foreground, for trying clients by hand.
 *
 * @module
 */
import { DEFAULT_DIALECT, SIMULATOR_API_KEY, startSimulator, type Dialect } from '../simulator/index.js';
import { isLoopbackHost } from '../transport/fetchTransport.js';
import type { CliIo } from './cliIo.js';
import { docsPage } from './docsUrl.js';
import { reportError } from './reportError.js';
import { describePush, describeWebhookStats, PUSH_FLAGS, PUSH_HELP, pushOptions } from './simulatePush.js';
import { integerOption, numberOption, parseCommandArgs, stringOption, UsageError } from './usageError.js';

/** Help text of `simulate`. */
export const SIMULATE_HELP = `Usage: runware-rx simulate [--port P] [--host H] [--api-key K] [--seed S] [--time-scale X] [--dialect D]
                          [--push [--drop-rate R] [--duplicate-rate R] [--delay-rate R [--delay MS]] [--reorder-rate R]]

Runs a local Runware simulator until Ctrl+C. The first line printed is
"listening on http://HOST:PORT/v1". What it speaks:
${docsPage('docs/simulator.md')}

Options:
  --port P         TCP port (default 0: any free port)
  --host H         loopback interface: 127.0.0.1 (default), ::1 or localhost. It speaks plain
                   http, which clients accept only on loopback (the API key is never sent in clear)
  --api-key K      the key it accepts (default ${SIMULATOR_API_KEY})
  --seed S         seed of every random choice (default 1)
  --time-scale X   simulated ms per real ms (default 1; 60 makes a 90 s video take 1.5 s)
  --dialect D      realistic (the shapes the real service sends too) or strict
                   (documented shapes only); default ${DEFAULT_DIALECT}
${PUSH_HELP}  -h, --help       this help
`;

/** Runs `simulate` until stopped; resolves with the exit code. */
export async function simulateCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  try {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, host: { type: 'string' }, 'api-key': { type: 'string' }, seed: { type: 'string' }, 'time-scale': { type: 'string' }, dialect: { type: 'string' }, ...PUSH_FLAGS }, false);
    if (values['help'] === true) {
      io.stdout.write(SIMULATE_HELP);
      return 0;
    }
    const apiKey = stringOption(values, 'api-key');
    const host = stringOption(values, 'host');
    if (host !== undefined && !isLoopbackHost(host)) throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost), got ${JSON.stringify(host)}: clients send an API key over plain http only to loopback`);
    const dialect = dialectOption(stringOption(values, 'dialect'));
    const webhooks = pushOptions(values);
    const simulator = await startSimulator({
      port: integerOption(values, 'port', 0, 0, 65535),
      seed: integerOption(values, 'seed', 1, -2_147_483_648, 2_147_483_647),
      timeScale: numberOption(values, 'time-scale', 1),
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(host === undefined ? {} : { host }),
      ...(dialect === undefined ? {} : { dialect }),
      ...(webhooks === undefined ? {} : { webhooks }),
    });
    // Listening for Ctrl+C before saying "listening": a script that reads the line and then signals is heard.
    const stopped = io.untilStopped();
    io.stdout.write(`listening on ${simulator.url}\napi key: ${simulator.apiKey}\n${webhooks === undefined ? '' : describePush(webhooks)}press Ctrl+C to stop\n`);
    await stopped;
    await simulator.close();
    const stats = simulator.stats();
    io.stdout.write(`stopped after ${stats.requests} requests, ${stats.tasks} tasks, ${stats.polls} polls\n${webhooks === undefined ? '' : describeWebhookStats(simulator.webhookStats())}`);
    return 0;
  } catch (error) {
    return reportError('simulate', error, io);
  }
}

function dialectOption(value: string | undefined): Dialect | undefined {
  if (value === undefined || value === 'realistic' || value === 'strict') return value;
  throw new UsageError(`--dialect must be realistic or strict, got ${JSON.stringify(value)}`);
}
