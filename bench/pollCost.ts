/**
 * CPU of a whole poll through the real watch machinery (the poll's request, decode, reconcile, the
 * watch's timers and `expand`), against a bare `JSON.parse` of the same reply text, in the same process.
 *
 * The watch runs on a `VirtualTimeScheduler` over a transport that answers synchronously, one poll per
 * virtual millisecond, so a `flush()` is nothing but polls. Every poll gets a body parsed on its own (a
 * ring of separately parsed copies), as from a real transport: no two polls share an object.
 */
import { of, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { watchTask } from '../src/watch/watchTask.js';
import { timePerCall } from './timePerCall.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
/** Separately parsed bodies the transport cycles through. */
const RING = 256;

export interface PollCost {
  readonly reply: string;
  readonly bytes: number;
  /** Microseconds per `JSON.parse` of the reply text (the mean over the texts, when they change). */
  readonly parseMicros: number;
  /** Microseconds per whole poll. */
  readonly pollMicros: number;
  /** Poll time over JSON.parse time: the median of the ratios of samples taken in turns. */
  readonly ratio: number;
}

function processing(progress?: number): Record<string, unknown> {
  return { taskType: 'videoInference', taskUUID: TASK, status: 'processing', ...(progress === undefined ? {} : { progress }) };
}

function success(n: number, signature: string): Record<string, unknown> {
  const videoUUID = `b7db282d-2943-4f12-992f-77df3ad3ec${String(n).padStart(2, '0')}`;
  return { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID, videoURL: `https://im.runware.ai/video/ws/0.5/vi/${videoUUID}.mp4?sig=${signature}`, cost: 0.18, seed: 1234 + n };
}

const failure = {
  code: 'timeoutProvider',
  status: 'error',
  message: 'The provider did not answer in time.',
  documentation: 'https://runware.ai/docs/en/getting-started/error-codes',
  taskUUID: TASK,
};

/** Four generations: two videos done, one failed (in `errors[]`, anonymous), one still processing. */
function fourWithOneFailure(poll: number): string {
  return JSON.stringify({ data: [success(0, `a${poll}`), success(1, `b${poll}`), processing(poll % 100)], errors: [failure] });
}

/** A function that runs `polls` polls of a watch whose transport answers the `texts` in turn, and returns microseconds per poll. */
function pollRunner(texts: ReadonlyArray<string>): (polls: number) => number {
  const bodies = Array.from({ length: RING }, (_, n) => JSON.parse(texts[n % texts.length] as string) as unknown);
  return (polls) => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, polls);
    let sent = 0;
    const transport = () => of(bodies[sent++ % RING]);
    const options = { transport, scheduler, numberResults: 4, initialDelay: 1, interval: 1, maxInterval: 1, multiplier: 1, jitter: 0, requestTimeout: 1, timeout: 3_600_000 };
    const subscription = watchTask(TASK, options).subscribe({ error: (error: unknown) => console.error(String(error)) });
    const started = process.hrtime.bigint();
    scheduler.flush();
    const elapsed = Number(process.hrtime.bigint() - started);
    subscription.unsubscribe();
    return elapsed / 1000 / sent;
  };
}

const median = (values: ReadonlyArray<number>): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * `JSON.parse` and the whole poll measured in turns (`rounds` pairs, each poll sample right after its
 * parse sample), so that a machine whose load changes moves both alike: the ratio is the median of the
 * pairs' ratios.
 */
function measure(texts: ReadonlyArray<string>, budgetMs: number, polls: number, rounds: number): { parse: number; poll: number; ratio: number } {
  const runPolls = pollRunner(texts);
  runPolls(polls); // warm-up
  const pairs = Array.from({ length: rounds }, () => {
    let n = 0;
    const parse = timePerCall(() => JSON.parse(texts[n++ % texts.length] as string), budgetMs) / 1000;
    return { parse, poll: runPolls(polls) };
  });
  return { parse: median(pairs.map((pair) => pair.parse)), poll: median(pairs.map((pair) => pair.poll)), ratio: median(pairs.map((pair) => pair.poll / pair.parse)) };
}

export function pollCosts(budgetMs = 150, polls = 10_000, rounds = 7): PollCost[] {
  const cases: Array<{ reply: string; texts: string[] }> = [
    { reply: 'unchanged: 4 generations processing', texts: [JSON.stringify({ data: [processing(), processing(), processing(), processing()] })] },
    { reply: 'unchanged: 4 generations, 2 done, 1 failed, 1 processing', texts: [fourWithOneFailure(0)] },
    { reply: 'changes every poll: the same, progress and URL signatures new', texts: Array.from({ length: RING }, (_, poll) => fourWithOneFailure(poll)) },
  ];
  return cases.map(({ reply, texts }) => {
    const { parse, poll, ratio } = measure(texts, budgetMs, polls, rounds);
    return { reply, bytes: (texts[0] as string).length, parseMicros: parse, pollMicros: poll, ratio };
  });
}

/** Markdown table of {@link pollCosts}. */
export function pollCostReport(costs: ReadonlyArray<PollCost>): string {
  const lines = ['| reply (numberResults 4) | bytes | JSON.parse (µs) | whole poll (µs) | ratio |', '|---|---:|---:|---:|---:|'];
  for (const cost of costs) lines.push(`| ${cost.reply} | ${cost.bytes} | ${cost.parseMicros.toFixed(3)} | ${cost.pollMicros.toFixed(3)} | ${cost.ratio.toFixed(2)}x |`);
  return lines.join('\n');
}
