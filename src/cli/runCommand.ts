/**
 * `runware-rx run`: submit a task, then watch it.
 *
 * @module
 */
import { DEFAULT_BASE_URL } from '../transport/fetchTransport.js';
import { watchTask } from '../watchTask.js';
import type { CliIo } from './cliIo.js';
import { exitCodeOf } from './progressState.js';
import { reportError } from './reportError.js';
import { showProgress } from './showProgress.js';
import { submitTask, type SubmitRequest } from './submitTask.js';
import { integerOption, parseCommandArgs, stringOption, UsageError } from './usageError.js';

/** Help text of `run`. */
export const RUN_HELP = `Usage: runware-rx run --model AIR --prompt TEXT [--number-results N] [--type video|image|audio] [--base-url URL] [--json]

Submits one inference task with deliveryMethod "async" and includeCost, then watches it like
\`runware-rx watch\`. The API key is read from RUNWARE_API_KEY.

Options:
  --model AIR           model identifier, e.g. klingai:5@3 (required)
  --prompt TEXT         positive prompt (required)
  --number-results N    generations, 1-4 (default 1)
  --type T              video (default), image or audio
  --base-url URL        API endpoint (default ${DEFAULT_BASE_URL}; http only for loopback)
  --json                one JSON event per line (NDJSON) instead of text
  -h, --help            this help

Exit codes: 0 every generation succeeded, 2 at least one failed, 1 submission or watch failed.
`;

const TASK_TYPES: Readonly<Record<string, SubmitRequest['taskType']>> = { video: 'videoInference', image: 'imageInference', audio: 'audioInference' };

/** Runs `run`; resolves with the exit code. */
export async function runCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  const apiKey = io.env['RUNWARE_API_KEY'];
  try {
    const { values } = parseCommandArgs(
      args,
      { model: { type: 'string' }, prompt: { type: 'string' }, 'number-results': { type: 'string' }, type: { type: 'string' }, 'base-url': { type: 'string' }, json: { type: 'boolean' } },
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
    if (apiKey === undefined || apiKey.trim() === '') throw new UsageError('RUNWARE_API_KEY is not set');
    const baseUrl = stringOption(values, 'base-url') ?? DEFAULT_BASE_URL;
    const json = values['json'] === true;

    const taskUUID = await submitTask({ taskType, model, positivePrompt: prompt, numberResults, baseUrl, apiKey });
    if (!json) io.stdout.write(`submitted ${taskType} ${taskUUID}\n`);
    const state = await showProgress(watchTask(taskUUID, { apiKey, baseUrl, numberResults }), io, { taskUUID, expected: numberResults, json });
    return exitCodeOf(state);
  } catch (error) {
    return reportError('run', error, io, apiKey);
  }
}
