/**
 * `runware-rx run`: submit a task, then watch it.
 *
 * @module
 */
import { firstValueFrom } from 'rxjs';
import { cadenceKey } from '../cadence/cadenceKey.js';
import { createRunwareClient } from '../client/createRunwareClient.js';
import { DEFAULT_BASE_URL } from '../transport/fetchTransport.js';
import type { CliIo } from './cliIo.js';
import { API_KEY_HELP, API_KEY_OPTION, apiKeyIn, requireApiKey } from './apiKeyOption.js';
import { exitCodeOf } from './progressState.js';
import { reportError } from './reportError.js';
import { showProgress, type WatchReports } from './showProgress.js';
import { integerOption, parseCommandArgs, stringOption, UsageError } from './usageError.js';
import { reportStopped, WatchStopped } from './watchStopped.js';

/** Help text of `run`. */
export const RUN_HELP = `Usage: runware-rx run --model AIR --prompt TEXT [--number-results N] [--type video|image|audio] [--duration S] [--api-key KEY] [--base-url URL] [--json]

Submits one inference task with deliveryMethod "async" and includeCost, then watches it like
\`runware-rx watch\`. Ctrl+C stops watching, not the task: Runware finishes it (and bills it), and
\`runware-rx watch <taskUUID>\` follows it again.

Options:
  --model AIR           model identifier, e.g. klingai:5@3 (required)
  --prompt TEXT         positive prompt (required)
  --number-results N    generations, 1-4 (default 1)
  --type T              video (default), image or audio
  --duration S          video length in seconds (default 5; the model decides which lengths it accepts);
                        video only
${API_KEY_HELP}
  --base-url URL        API endpoint (default ${DEFAULT_BASE_URL}; http only for loopback)
  --json                one JSON event per line (NDJSON) instead of text
  -h, --help            this help

Exit codes: 0 every generation succeeded, 2 at least one failed, 1 submission or watch failed,
130 stopped by Ctrl+C.
`;

const TASK_TYPES: Readonly<Record<string, 'videoInference' | 'imageInference' | 'audioInference'>> = { video: 'videoInference', image: 'imageInference', audio: 'audioInference' };

/** Runs `run`; resolves with the exit code. */
export async function runCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  const apiKey = apiKeyIn(args, io);
  let baseUrl = DEFAULT_BASE_URL;
  try {
    const { values } = parseCommandArgs(
      args,
      { model: { type: 'string' }, prompt: { type: 'string' }, 'number-results': { type: 'string' }, duration: { type: 'string' }, type: { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean' }, ...API_KEY_OPTION },
      false,
    );
    if (values['help'] === true) {
      io.stdout.write(RUN_HELP);
      return 0;
    }
    const model = stringOption(values, 'model');
    if (model === undefined) throw new UsageError('--model is required');
    const prompt = stringOption(values, 'prompt');
    if (prompt === undefined) throw new UsageError('--prompt is required');
    const numberResults = integerOption(values, 'number-results', 1, 1, 4);
    const typeName = stringOption(values, 'type') ?? 'video';
    const taskType = TASK_TYPES[typeName];
    if (taskType === undefined) throw new UsageError(`--type must be video, image or audio, got ${JSON.stringify(typeName)}`);
    if (taskType !== 'videoInference' && values['duration'] !== undefined) throw new UsageError(`--duration is for video tasks only: ${typeName} tasks have no duration`);
    const duration = integerOption(values, 'duration', 5, 1, 60);
    const key = requireApiKey(values, io);
    baseUrl = stringOption(values, 'base-url') ?? DEFAULT_BASE_URL;
    const json = values['json'] === true;

    const client = createRunwareClient({ apiKey: key, baseUrl });
    const common = { model, positivePrompt: prompt, numberResults, includeCost: true };
    const task = taskType === 'videoInference' ? { ...common, taskType, duration } : { ...common, taskType };
    const { taskUUID } = await firstValueFrom(client.submit(task));
    if (!json) io.stdout.write(`submitted ${taskType} ${taskUUID}\n`);
    // The watch starts at the ack, with the task: it may plan from (and teach) the client's learned cadence.
    const watch = (reports: WatchReports) => client.watchTask(taskUUID, { numberResults, progress: !json, cadence: { key: cadenceKey(task) }, ...reports });
    const state = await showProgress(watch, io, { taskUUID, expected: numberResults, json });
    return exitCodeOf(state);
  } catch (error) {
    if (error instanceof WatchStopped) return reportStopped('run', error, io, baseUrl);
    return reportError('run', error, io, apiKey);
  }
}
