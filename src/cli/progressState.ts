/**
 * What the CLI shows about a watch, as plain data folded from events, and its rendering as text.
 * Pure functions of state and time, so every line the CLI prints is testable without a terminal.
 *
 * @module
 */
import type { GenerationEvent } from '../events/events.js';
import type { AttemptReport, DelayReason, ScheduledPoll } from '../watch/options.js';
import { describeCause } from './reportError.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One generation as the CLI knows it. */
export interface GenerationView {
  readonly index: number;
  readonly status: GenerationEvent['status'];
  /** ms since the watch started at which the current status was first seen. */
  readonly seenAt: number;
  readonly progress?: number | undefined;
  readonly url?: string | undefined;
  readonly cost?: number | undefined;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
}

/** Everything shown for one task. */
export interface ProgressState {
  readonly taskUUID: string;
  /** Generations expected, when known (the task's numberResults). */
  readonly expected: number | undefined;
  readonly generations: ReadonlyArray<GenerationView>;
  /** When the watch's next poll goes out (ms since the watch started) and why, once it said so. */
  readonly nextPoll?: { readonly at: number; readonly reason: DelayReason } | undefined;
  /** While the watch rides out transient failures: the last one's cause in a few words, and how many in a row. */
  readonly retrying?: { readonly cause: string; readonly failures: number } | undefined;
}

// -------------------------------------------------------------------------------------
// folding
// -------------------------------------------------------------------------------------

/** The state before any event. */
export function initialProgress(taskUUID: string, expected: number | undefined): ProgressState {
  return { taskUUID, expected, generations: [] };
}

/**
 * Folds one event in; `elapsed` is ms since the watch started. A processing event of a generation already
 * processing (a watch with `progress: true`) moves its bar and keeps the time its processing was first seen.
 */
export function applyEvent(state: ProgressState, event: GenerationEvent, elapsed: number): ProgressState {
  const generations = [...state.generations];
  const before = generations[event.index];
  const view: GenerationView =
    event.status === 'processing'
      ? { index: event.index, status: 'processing', seenAt: before?.status === 'processing' ? before.seenAt : elapsed, progress: event.progress }
      : event.status === 'success'
        ? { index: event.index, status: 'success', seenAt: elapsed, url: mediaUrlOf(event.result), cost: event.result.cost }
        : { index: event.index, status: 'error', seenAt: elapsed, errorCode: event.error.code, errorMessage: event.error.message };
  generations[event.index] = view;
  return { ...state, generations };
}

/** Folds in the watch's decision of when to poll next (its `onSchedule`); `elapsed` is ms since the watch started. */
export function applySchedule(state: ProgressState, next: ScheduledPoll, elapsed: number): ProgressState {
  return { ...state, nextPoll: { at: elapsed + next.delay, reason: next.reason } };
}

/**
 * Folds in what one poll came to (the watch's `onAttempt`): a transient failure the watch rides out sets
 * `retrying` (its cause), a reply clears it.
 */
export function applyAttempt(state: ProgressState, attempt: AttemptReport): ProgressState {
  if (attempt.outcome === 'retrying') return { ...state, retrying: { cause: causeOf(attempt.error), failures: attempt.failures } };
  return state.retrying === undefined ? state : { ...state, retrying: undefined };
}

/** A failure in a few words: its cause when it has one (`connection refused to 127.0.0.1:8080`), else its message's first line. */
function causeOf(error: Error | undefined): string {
  if (error === undefined) return 'unknown failure';
  return describeCause(error.cause) ?? (error.message.replace(/^runware-rx: /, '').split('\n')[0] ?? error.name);
}

/** The first media URL of a result (video, image, audio, then any media). */
export function mediaUrlOf(result: Record<string, unknown>): string | undefined {
  for (const key of ['videoURL', 'imageURL', 'audioURL', 'mediaURL']) {
    const value = result[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

// -------------------------------------------------------------------------------------
// rendering
// -------------------------------------------------------------------------------------

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const BAR_WIDTH = 20;

/**
 * `generation 1`: how every command names a generation, counting from 1 as people do. The JSON events
 * (`--json`) keep the library's 0-based `index`: `generation N` is `index` N - 1.
 */
export function generationLabel(index: number): string {
  return `generation ${index + 1}`;
}

/** `1.2s`: elapsed ms for people. */
export function formatElapsed(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** `$0.36`: a cost in USD, to 4 decimals when small. */
export function formatCost(usd: number): string {
  return `$${usd >= 0.1 ? usd.toFixed(2) : usd.toFixed(4)}`;
}

/**
 * One line per generation (expected ones not yet seen included), for a terminal when `frame` is given
 * (a spinner, or a bar when progress is known) and as plain text otherwise.
 */
export function renderGenerations(state: ProgressState, elapsed: number, frame?: number): string[] {
  const count = Math.max(state.generations.length, state.expected ?? 0);
  const lines: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const view = state.generations[index];
    lines.push(view === undefined ? `${generationLabel(index)}  ${frame === undefined ? '-' : '·'} waiting` : renderGeneration(view, elapsed, frame));
  }
  return lines;
}

/** One generation's line. Processing shows the time so far; a finished one the time it took. */
export function renderGeneration(view: GenerationView, elapsed: number, frame?: number): string {
  const label = generationLabel(view.index);
  if (view.status === 'processing') {
    const icon = frame === undefined ? '-' : (SPINNER[frame % SPINNER.length] ?? '-');
    const bar = view.progress === undefined ? '' : ` ${progressBar(view.progress)}`;
    return `${label}  ${icon} processing${bar}  ${formatElapsed(frame === undefined ? view.seenAt : elapsed)}`;
  }
  if (view.status === 'success') return `${label}  ✔ success     ${formatElapsed(view.seenAt)}  ${view.url ?? ''}`.trimEnd();
  return `${label}  ✖ error       ${formatElapsed(view.seenAt)}  ${view.errorCode ?? 'unknownError'}: ${view.errorMessage ?? ''}`.trimEnd();
}

/**
 * `next poll in 12 s (learned)`: when the watch looks again and which schedule said so (`learned`: the
 * cadence learned from earlier tasks of the same kind); while it rides out failures, `retrying in 4 s:
 * connection refused to 127.0.0.1:8080 (failure 2)`. Given the wall-clock time the watch started at
 * (epoch ms), the line ends with the next poll's time of day (`next poll at 19:53:20`), for output that is
 * not redrawn. `undefined` before the watch said or once every expected generation is finished.
 */
export function renderNextPoll(state: ProgressState, elapsed: number, startedAt?: number): string | undefined {
  const { nextPoll, retrying } = state;
  const finished = state.generations.filter((view) => view !== undefined && view.status !== 'processing').length;
  if (nextPoll === undefined || (finished > 0 && finished >= Math.max(state.expected ?? 0, state.generations.length))) return undefined;
  const seconds = Math.max(0, Math.ceil((nextPoll.at - elapsed) / 1000));
  const at = startedAt === undefined ? undefined : `next poll at ${formatTimeOfDay(startedAt + nextPoll.at)}`;
  if (retrying !== undefined) return `retrying in ${seconds} s: ${retrying.cause} (failure ${retrying.failures}${at === undefined ? '' : `; ${at}`})`;
  return `next poll in ${seconds} s (${nextPoll.reason}${at === undefined ? '' : `; ${at}`})`;
}

/** `19:53:20`: a wall-clock time (epoch ms) as the local time of day. */
export function formatTimeOfDay(epochMs: number): string {
  const time = new Date(epochMs);
  return [time.getHours(), time.getMinutes(), time.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

/** `[#########-----------] 45%` */
export function progressBar(percent: number): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.round(clamped)}%`;
}

/** The closing summary: counts, total time, URLs, failures and cost. */
export function renderSummary(state: ProgressState, elapsed: number): string[] {
  const done = state.generations.filter((view): view is GenerationView => view !== undefined);
  const successes = done.filter((view) => view.status === 'success');
  const failures = done.filter((view) => view.status === 'error');
  const costs = successes.map((view) => view.cost).filter((cost): cost is number => cost !== undefined);
  const lines = [`summary: ${successes.length} succeeded, ${failures.length} failed in ${formatElapsed(elapsed)} (task ${state.taskUUID})`];
  for (const view of successes) lines.push(`  ✔ ${generationLabel(view.index)}: ${view.url ?? '(no URL)'}`);
  for (const view of failures) lines.push(`  ✖ ${generationLabel(view.index)}: ${view.errorCode ?? 'unknownError'}`);
  lines.push(`  cost: ${costs.length === 0 ? 'not reported' : formatCost(costs.reduce((sum, cost) => sum + cost, 0))}`);
  return lines;
}

/** Exit code of a finished watch: 0 when every generation succeeded, 2 when any failed. */
export function exitCodeOf(state: ProgressState): 0 | 2 {
  return state.generations.some((view) => view?.status === 'error') ? 2 : 0;
}
