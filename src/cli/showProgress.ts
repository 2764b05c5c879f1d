/**
 * Runs a watch and shows it: live redrawn lines on a terminal, one plain line per change otherwise,
 * or NDJSON events with `json`. Ends with the summary (not in JSON mode), or early when the io says
 * to stop (Ctrl+C, closed output): then the watch is unsubscribed, which aborts its request.
 *
 * @module
 */
import { asyncScheduler, interval, type Observable, type SchedulerLike } from 'rxjs';
import type { GenerationEvent } from '../events/events.js';
import type { AttemptReport, ScheduledPoll } from '../watch/options.js';
import type { CliIo } from './cliIo.js';
import { WatchStopped } from './watchStopped.js';
import { applyAttempt, applyEvent, applySchedule, initialProgress, renderGeneration, renderGenerations, renderNextPoll, renderSummary, type ProgressState } from './progressState.js';

/** How a watch is shown. */
export interface ShowOptions {
  readonly taskUUID: string;
  readonly expected: number | undefined;
  readonly json: boolean;
  /** Redraw period on a terminal, in ms. @defaultValue 80 */
  readonly frameMs?: number;
  /** Clock of the redraws. @defaultValue asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** What the watch reports to its display: when it polls next (`onSchedule`), what each poll came to (`onAttempt`). */
export interface WatchReports {
  readonly onSchedule: (next: ScheduledPoll) => void;
  readonly onAttempt: (attempt: AttemptReport) => void;
}

/**
 * Shows the watch until it ends; resolves with the final state, rejects with the watch's error, or with
 * {@link WatchStopped} when the io asks to stop first. Given as a function of {@link WatchReports}, the
 * watch's next poll is shown too on a terminal ("next poll in 12 s (learned)"), and each failure it
 * rides out is never silent: on a terminal the line says "retrying in 4 s: <cause> (failure 1)";
 * otherwise (and with `json`) one such line goes to stderr per failure, with the next poll's time of day.
 */
export function showProgress(
  watch: Observable<GenerationEvent> | ((reports: WatchReports) => Observable<GenerationEvent>),
  io: CliIo,
  options: ShowOptions,
): Promise<ProgressState> {
  const startedAt = io.now();
  const live = !options.json && io.stdout.isTTY === true;
  let state = initialProgress(options.taskUUID, options.expected);
  let drawn = 0;
  let frame = 0;

  const redraw = (): void => {
    const elapsed = io.now() - startedAt;
    const nextPoll = renderNextPoll(state, elapsed);
    const lines = [...renderGenerations(state, elapsed, frame++), ...(nextPoll === undefined ? [] : [nextPoll])];
    // A line that went away (the next poll, once the task is done) is blanked, not left on the screen.
    while (lines.length < drawn) lines.push('');
    const up = drawn > 0 ? `\x1b[${drawn}A` : '';
    // A wrapped line would throw off the cursor-up count: cut lines to the terminal width.
    const width = Math.max(20, (io.stdout.columns ?? 100) - 1);
    io.stdout.write(`${up}${lines.map((line) => `\x1b[2K${[...line].slice(0, width).join('')}\n`).join('')}`);
    drawn = lines.length;
  };

  return new Promise<ProgressState>((resolve, reject) => {
    const ticker = live ? interval(options.frameMs ?? 80, options.scheduler ?? asyncScheduler).subscribe(redraw) : undefined;
    if (live) redraw();
    const ended = new AbortController();
    const finish = (): void => {
      ended.abort();
      ticker?.unsubscribe();
      if (live) redraw();
    };
    const reports: WatchReports = {
      onAttempt: (attempt) => (state = applyAttempt(state, attempt)),
      onSchedule: (next) => {
        state = applySchedule(state, next, io.now() - startedAt);
        // Not redrawn: say it once per failure, on stderr (stdout may be NDJSON or piped).
        if (!live && state.retrying !== undefined && (next.reason === 'retry' || next.reason === 'retry-after')) io.stderr.write(`${renderNextPoll(state, io.now() - startedAt, startedAt) ?? ''}\n`);
      },
    };
    const events = typeof watch === 'function' ? watch(reports) : watch;
    const subscription = events.subscribe({
      next: (event) => {
        state = applyEvent(state, event, io.now() - startedAt);
        if (options.json) io.stdout.write(`${JSON.stringify(event)}\n`);
        else if (!live) {
          const view = state.generations[event.index];
          if (view !== undefined) io.stdout.write(`${renderGeneration(view, io.now() - startedAt)}\n`);
        }
      },
      error: (error: unknown) => {
        finish();
        reject(error);
      },
      complete: () => {
        finish();
        if (!options.json) io.stdout.write(`${renderSummary(state, io.now() - startedAt).join('\n')}\n`);
        resolve(state);
      },
    });
    if (ended.signal.aborted) return;
    void io.untilStopped(ended.signal).then((reason) => {
      if (ended.signal.aborted) return;
      subscription.unsubscribe();
      finish();
      reject(new WatchStopped(reason, options.taskUUID));
    });
  });
}
