/**
 * Soak: 100 000 completed watches, bounded to ~60 s, watching the heap for growth.
 *
 * Run with `npm run soak` (node --expose-gc, so each sample follows a full collection). Outside the
 * default test run on purpose: it takes a minute and measures, it does not assert behaviour.
 *
 * Each watch is a real `watchTask` on the default asyncScheduler over an in-process transport that
 * answers `processing` for one or two polls and then a finished reply of 1 to 4 generations (one of them
 * failed now and then), so every watch subscribes timers, reconciles, completes and tears down. Watches
 * run `SOAK_CONCURRENCY` at a time (default 1000).
 *
 * Verdict: after a warm-up of 10 % of the watches, the heap (used, after GC) must not grow by more than
 * `SOAK_MAX_GROWTH_MB` (default 8 MB) between the first sample and the median of the last three. Exits 1
 * on growth or if no watch completed.
 *
 * Environment: SOAK_WATCHES (100000), SOAK_SECONDS (60), SOAK_CONCURRENCY (1000), SOAK_MAX_GROWTH_MB (8),
 * and SOAK_LEAK=1: a control that keeps every watch's events, to see the verdict fail.
 */
import { lastValueFrom, of, toArray, type Observable } from 'rxjs';
import { watchTask } from '../src/index.js';

const WATCHES = Number(process.env['SOAK_WATCHES'] ?? 100_000);
const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 60);
const CONCURRENCY = Number(process.env['SOAK_CONCURRENCY'] ?? 1000);
const MAX_GROWTH_MB = Number(process.env['SOAK_MAX_GROWTH_MB'] ?? 8);
/** Control: SOAK_LEAK=1 keeps every watch's events, the leak a careless cache would have, to show the verdict can fail. */
const LEAK = process.env['SOAK_LEAK'] === '1';
const SAMPLES = 10;
const leaked: unknown[] = [];

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function uuidOf(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `24cd5dff-cb81-4db5-8506-${hex}`;
}

/** An in-process Runware for one task: `processingPolls` processing replies, then the final one. */
function scriptedTransport(taskUUID: string, n: number): () => Observable<unknown> {
  const generations = 1 + (n % 4);
  const processingPolls = 1 + (n % 2);
  let poll = 0;
  const processing = { data: Array.from({ length: generations }, () => ({ taskType: 'videoInference', taskUUID, status: 'processing' })) };
  return () => {
    poll += 1;
    if (poll <= processingPolls) return of(processing);
    const data = Array.from({ length: generations }, (_, index) => ({
      taskType: 'videoInference',
      taskUUID,
      status: 'success',
      videoUUID: `${taskUUID.slice(0, 24)}${(n * 4 + index).toString(16).padStart(12, '0')}`,
      videoURL: `https://media.test/${n}-${index}.mp4`,
    }));
    const failed = n % 7 === 0;
    return of(failed ? { data: data.slice(1), errors: [{ code: 'timeoutProvider', status: 'error', message: 'late', taskUUID }] } : { data });
  };
}

async function oneWatch(n: number): Promise<number> {
  const taskUUID = uuidOf(n);
  const events = await lastValueFrom(
    watchTask(taskUUID, {
      transport: scriptedTransport(taskUUID, n),
      numberResults: 1 + (n % 4),
      initialDelay: 0,
      interval: 1,
      maxInterval: 1,
      jitter: 0,
    }).pipe(toArray()),
  );
  if (LEAK) leaked.push(events);
  const terminal = events.filter((event) => event.status !== 'processing').length;
  if (terminal !== 1 + (n % 4)) throw new Error(`watch ${n}: ${terminal} terminal events for ${1 + (n % 4)} generations`);
  return terminal;
}

async function main(): Promise<void> {
  if (gc === undefined) console.log('soak: warning: run with node --expose-gc (npm run soak does) for meaningful samples');
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const sampleEvery = Math.max(1, Math.floor(WATCHES / SAMPLES));
  const warmup = Math.floor(WATCHES / 10);
  const samples: Array<{ watches: number; heapMb: number; seconds: number }> = [];
  let next = 0;
  let completed = 0;
  let generations = 0;
  let nextSample = warmup;

  console.log(`soak: ${WATCHES} watches, ${CONCURRENCY} at a time, at most ${SECONDS} s; heap before: ${heapMb().toFixed(1)} MB`);
  while (completed < WATCHES && performance.now() < deadline) {
    const batchEnd = Math.min(WATCHES, nextSample);
    // Run up to the next sample point, then sample with nothing in flight.
    const workers: Array<Promise<void>> = [];
    const target = batchEnd;
    const runUntil = async (): Promise<void> => {
      while (next < target && performance.now() < deadline) {
        const n = next;
        next += 1;
        const finished = await oneWatch(n);
        generations += finished;
        completed += 1;
      }
    };
    for (let i = 0; i < CONCURRENCY; i += 1) workers.push(runUntil());
    await Promise.all(workers);
    const sample = { watches: completed, heapMb: heapMb(), seconds: (performance.now() - started) / 1000 };
    samples.push(sample);
    console.log(`soak: ${String(sample.watches).padStart(7)} watches  heap ${sample.heapMb.toFixed(2).padStart(7)} MB  ${sample.seconds.toFixed(1)} s`);
    nextSample = Math.min(WATCHES, nextSample + sampleEvery);
    if (batchEnd >= WATCHES) break;
  }

  const first = samples[0];
  const tail = samples.slice(-3).map((sample) => sample.heapMb).sort((a, b) => a - b);
  const last = tail[Math.floor(tail.length / 2)];
  if (first === undefined || last === undefined || completed === 0) {
    console.log('soak: verdict: FAIL (no watch completed)');
    process.exitCode = 1;
    return;
  }
  const growth = last - first.heapMb;
  const perTenThousand = samples.length > 1 ? (growth / Math.max(1, completed - first.watches)) * 10_000 : 0;
  const bounded = completed < WATCHES ? ` (stopped by the ${SECONDS} s bound)` : '';
  console.log(
    `soak: ${completed} watches, ${generations} generations in ${((performance.now() - started) / 1000).toFixed(1)} s${bounded}; ` +
      `heap ${first.heapMb.toFixed(2)} -> ${last.toFixed(2)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB, ${perTenThousand.toFixed(3)} MB per 10k watches)`,
  );
  if (growth > MAX_GROWTH_MB) {
    console.log(`soak: verdict: GROWTH: heap grew ${growth.toFixed(2)} MB > ${MAX_GROWTH_MB} MB after warm-up`);
    process.exitCode = 1;
  } else {
    console.log(`soak: verdict: OK: no heap growth beyond ${MAX_GROWTH_MB} MB after warm-up`);
  }
}

await main();
