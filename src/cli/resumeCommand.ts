/**
 * `runware-rx resume --store FILE`: finish what a process that crashed (or was redeployed) left in its
 * task store.
 *
 * @module
 */
import { createRunwareClient } from '../client/createRunwareClient.js';
import type { GenerationEvent } from '../events/events.js';
import { createFileTaskStore } from '../server/createFileTaskStore.js';
import { DEFAULT_BASE_URL } from '../transport/fetchTransport.js';
import { API_KEY_HELP, API_KEY_OPTION, apiKeyIn, requireApiKey } from './apiKeyOption.js';
import type { CliIo } from './cliIo.js';
import { reportError } from './reportError.js';
import { parseCommandArgs, stringOption, UsageError } from './usageError.js';
import { mediaUrlOf } from './progressState.js';

/** Help text of `resume`. */
export const RESUME_HELP = `Usage: runware-rx resume --store FILE [--json] [--api-key KEY] [--base-url URL]

Watches every task a task store (createFileTaskStore) holds as unfinished, as the app that recorded
them would have, and shows each generation it had not delivered yet. Submits nothing: a task the
store recorded but Runware does not know (the process died before sending it) ends with taskNotFound.
What this command shows is recorded in the store as delivered: the app will not deliver it again.
The app must not be running on the same file meanwhile.

Options:
  --store FILE          the task store file (required)
  --json                one JSON event per line (NDJSON) instead of text
${API_KEY_HELP}
  --base-url URL        API endpoint (default ${DEFAULT_BASE_URL}; http only for loopback)
  -h, --help            this help

Exit codes: 0 every generation shown succeeded (or nothing was left), 2 at least one failed, 1 the
store or a watch failed, 130 stopped by Ctrl+C (what is left stays in the store).
`;

/** Runs `resume`; resolves with the exit code. */
export async function resumeCommand(args: ReadonlyArray<string>, io: CliIo): Promise<number> {
  const apiKey = apiKeyIn(args, io);
  try {
    const { values } = parseCommandArgs(args, { store: { type: 'string' }, json: { type: 'boolean' }, 'base-url': { type: 'string' }, ...API_KEY_OPTION }, false);
    if (values['help'] === true) {
      io.stdout.write(RESUME_HELP);
      return 0;
    }
    const path = stringOption(values, 'store');
    if (path === undefined) throw new UsageError('--store is required');
    const key = requireApiKey(values, io);
    const baseUrl = stringOption(values, 'base-url') ?? DEFAULT_BASE_URL;
    const json = values['json'] === true;
    const store = createFileTaskStore(path);
    try {
      await store.ready;
      return await showResumed(createRunwareClient({ apiKey: key, baseUrl, store }).resume(), io, json, path);
    } finally {
      await store.close();
    }
  } catch (error) {
    return reportError('resume', error, io, apiKey);
  }
}

/** Shows the events until the resume ends or the command is stopped; resolves with the exit code. */
function showResumed(events: ReturnType<ReturnType<typeof createRunwareClient>['resume']>, io: CliIo, json: boolean, path: string): Promise<number> {
  let succeeded = 0;
  let failed = 0;
  return new Promise<number>((resolve, reject) => {
    const ended = new AbortController();
    const subscription = events.subscribe({
      next: (event: GenerationEvent) => {
        if (event.status === 'success') succeeded += 1;
        if (event.status === 'error') failed += 1;
        if (json) io.stdout.write(`${JSON.stringify(event)}\n`);
        else if (event.status !== 'processing') io.stdout.write(`${describe(event)}\n`);
      },
      error: (error: unknown) => {
        ended.abort();
        reject(error);
      },
      complete: () => {
        ended.abort();
        if (!json) io.stdout.write(succeeded + failed === 0 ? `nothing left to resume in ${path}\n` : `summary: ${succeeded} succeeded, ${failed} failed\n`);
        resolve(failed > 0 ? 2 : 0);
      },
    });
    void io.untilStopped(ended.signal).then(() => {
      if (ended.signal.aborted) return;
      subscription.unsubscribe();
      io.stderr.write(`runware-rx resume: stopped; what is left stays in ${path}: run runware-rx resume --store ${path} again\n`);
      resolve(130);
    });
  });
}

function describe(event: GenerationEvent): string {
  const output = event.status === 'success' ? (mediaUrlOf(event.result) ?? '') : event.status === 'error' ? `${event.error.code}: ${event.error.message}` : '';
  return `${event.taskUUID} generation ${event.index} ${event.status} ${output}`.trimEnd();
}
