/**
 * `runware-rx demo`: the library end to end against the embedded simulator, in a few seconds.
 *
 * @module
 */
import { firstValueFrom, tap } from 'rxjs';
import { createRunwareClient } from '../client/createRunwareClient.js';
import type { GenerationEvent } from '../events/events.js';
import { randomTaskUUID } from '../protocol/taskUUID.js';
import { startSimulator } from '../simulator/index.js';
import type { CliIo } from './cliIo.js';
import { startDemoPush, type DemoPush, type EventSource } from './demoPush.js';
import { reportError } from './reportError.js';
import { showProgress } from './showProgress.js';
import { numberOption, parseCommandArgs } from './usageError.js';
import { stoppedExitCode, WatchStopped } from './watchStopped.js';

/** Help text of `demo`. */
export const DEMO_HELP = `Usage: runware-rx demo [--time-scale X] [--push] [--json]

Starts the embedded Runware simulator, submits a videoInference task with 3 generations (the second
scripted to fail with timeoutProvider) and watches it live with runware-rx, each generation's progress
bar moving as the simulator reports it, then prints a summary.
Needs no API key and spends no credits.

Options:
  --time-scale X   simulated ms per real ms (default 60: 90 to 210 s videos in 1.5 to 3.5 s)
  --push           submit with a webhookURL to a receiver on loopback: results come by webhook,
                   polls are the safety net; shows which events came by push and which by poll
  --json           one JSON event per line (NDJSON) instead of text
  -h, --help       this help
`;

/** Simulated durations of the three generations, in ms; the second fails. */
const SCRIPT = { generations: [{ duration: 90_000 }, { duration: 150_000, fail: 'timeoutProvider' }, { duration: 210_000 }] };

/** Runs `demo`; resolves with 0 once the watch finished (a scripted failure is part of the show). */
export async function demoCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  let simulator: Awaited<ReturnType<typeof startSimulator>> | undefined;
  let receiver: DemoPush | undefined;
  try {
    const { values } = parseCommandArgs(args, { 'time-scale': { type: 'string' }, push: { type: 'boolean' }, json: { type: 'boolean' } }, false);
    if (values['help'] === true) {
      io.stdout.write(DEMO_HELP);
      return 0;
    }
    const timeScale = numberOption(values, 'time-scale', 60);
    const json = values['json'] === true;
    simulator = await startSimulator({ timeScale, seed: 2026, progress: true });
    const { url: baseUrl, apiKey } = simulator;
    if (!json) io.stdout.write(`runware-rx demo: simulated Runware at ${baseUrl} (time x${timeScale})\n`);
    receiver = values['push'] === true ? await startDemoPush() : undefined;
    if (!json && receiver !== undefined) io.stdout.write(`webhook receiver at ${receiver.url}\n`);
    const push = receiver === undefined ? {} : { push: { source: receiver.push, pollDelay: 1000, pollInterval: 2000 }, onAttempt: receiver.onAttempt };
    const client = createRunwareClient({ apiKey, baseUrl, ...push });
    // `simulate` is the simulator's own extension, unknown to the typed task: added apart, it is sent as is.
    const task = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a paper boat drifting down a rainy street', duration: 5, numberResults: 3, includeCost: true } as const;
    const submitted = randomTaskUUID();
    const webhook = receiver === undefined ? {} : { taskUUID: submitted, webhookURL: receiver.push.urlFor(submitted) };
    const { taskUUID } = await firstValueFrom(client.submit({ ...task, ...webhook, ...{ simulate: SCRIPT } }));
    if (!json) io.stdout.write(`submitted videoInference ${taskUUID} with 3 generations\n`);
    // Polls tuned for a run of seconds: a real watch would use the defaults (1 s, growing to 10 s).
    const watch = client.watchTask(taskUUID, { numberResults: 3, progress: true, initialDelay: 250, interval: 250, multiplier: 1, jitter: 0 });
    const sources: Array<readonly [GenerationEvent, EventSource]> = [];
    // Each status change once: the progress steps all come by poll, and would drown the list.
    const changed = (event: GenerationEvent): boolean => event.status !== 'processing' || !sources.some(([seen]) => seen.index === event.index);
    const observed = receiver === undefined ? watch : watch.pipe(tap((event) => changed(event) && sources.push([event, (receiver as DemoPush).source()])));
    await showProgress(observed, io, { taskUUID, expected: 3, json });
    if (!json && receiver !== undefined) io.stdout.write(describeSources(sources, receiver.counts()));
    return 0;
  } catch (error) {
    // The simulated task ends with the simulator: nothing keeps running, nothing to say.
    if (error instanceof WatchStopped) return stoppedExitCode(error);
    return reportError('demo', error, io);
  } finally {
    await receiver?.close();
    await simulator?.close();
  }
}

/** Which source brought each event, and what push and polling cost. */
function describeSources(sources: ReadonlyArray<readonly [GenerationEvent, EventSource]>, counts: { readonly webhooks: number; readonly polls: number }): string {
  const lines = sources.map(([event, source]) => `  generation ${event.index + 1} ${event.status}: by ${source}`);
  return `how each event came:\n${lines.join('\n')}\n${counts.webhooks} webhooks, ${counts.polls} polls\n`;
}
