/**
 * A Node worker that watches a batch of Runware video tasks at once and downloads every finished video.
 *
 *   npx tsx examples/node-batch.ts
 *     Demo: starts the local simulator, submits three videos to it, watches them and downloads the results.
 *   RUNWARE_API_KEY=... npx tsx examples/node-batch.ts <taskUUID> [<taskUUID> ...]
 *     Watches tasks you already submitted to Runware with `deliveryMethod: "async"`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import { concatMap, defer, from, lastValueFrom, mergeMap, scan, tap, type Observable } from 'rxjs';
import { watchTask, type GenerationEvent, type SuccessEvent, type WatchOptions } from 'runware-rx';
import { startSimulator } from 'runware-rx/simulator';

/** What the worker did with one batch. */
export interface BatchSummary {
  readonly downloaded: ReadonlyArray<string>;
  readonly failed: ReadonlyArray<{ readonly taskUUID: string; readonly index: number; readonly code: string }>;
}

/** Options of {@link runBatch}: where to save, how many tasks to watch at once, and the watch options. */
export interface BatchOptions extends WatchOptions {
  readonly outDir: string;
  /** Tasks watched at the same time; Runware suggests low single digits of concurrency. */
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

/** Watches every task, downloads each finished video as it arrives, and sums up. */
export function runBatch(taskUUIDs: ReadonlyArray<string>, options: BatchOptions): Observable<BatchSummary> {
  const { outDir, concurrency = 4, log = console.log, ...watchOptions } = options;
  const empty: BatchSummary = { downloaded: [], failed: [] };
  return defer(() => from(mkdir(outDir, { recursive: true }))).pipe(
    concatMap(() => from(taskUUIDs)),
    mergeMap((taskUUID) => watchTask(taskUUID, watchOptions), concurrency),
    tap((event) => log(describe(event))),
    // Downloads run as generations finish, while the other watches keep polling.
    mergeMap((event) => (event.status === 'success' ? download(event, outDir) : from([event]))),
    scan((summary: BatchSummary, item: string | GenerationEvent): BatchSummary => {
      if (typeof item === 'string') return { ...summary, downloaded: [...summary.downloaded, item] };
      if (item.status === 'error') return { ...summary, failed: [...summary.failed, { taskUUID: item.taskUUID, index: item.index, code: item.error.code }] };
      return summary;
    }, empty),
  );
}

function download(event: SuccessEvent, outDir: string): Observable<string> {
  return defer(async () => {
    const url = event.result.videoURL;
    if (url === undefined) throw new Error(`task ${event.taskUUID} generation ${event.index} has no videoURL`);
    const file = join(outDir, `${event.taskUUID}-${event.index}.mp4`);
    const response = await fetch(url);
    if (!response.ok || response.body === null) throw new Error(`download of ${url} failed: HTTP ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(file));
    return file;
  });
}

/** Submits one async video task over plain fetch and returns its taskUUID. */
export async function submitVideo(baseUrl: string, apiKey: string, positivePrompt: string, numberResults = 1): Promise<string> {
  const taskUUID = crypto.randomUUID();
  const response = await fetch(baseUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([
      { taskType: 'videoInference', taskUUID, model: 'klingai:5@3', positivePrompt, duration: 5, numberResults, deliveryMethod: 'async' },
    ]),
  });
  if (!response.ok) throw new Error(`submitting "${positivePrompt}" failed: HTTP ${response.status}`);
  return taskUUID;
}

function describe(event: GenerationEvent): string {
  const who = `${event.taskUUID.slice(0, 8)}#${event.index}`;
  if (event.status === 'processing') return `${who} rendering${event.progress === undefined ? '' : ` ${event.progress}%`}`;
  if (event.status === 'success') return `${who} ready: ${event.result.videoURL ?? '(no URL)'}`;
  return `${who} failed: ${event.error.code}`;
}

// Run as a script.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const given = process.argv.slice(2);
  const simulator = given.length === 0 ? await startSimulator({ timeScale: 20, progress: true }) : undefined;
  try {
    const connection = simulator === undefined ? {} : { baseUrl: simulator.url, apiKey: simulator.apiKey };
    const taskUUIDs =
      simulator === undefined
        ? given
        : await Promise.all(['a lighthouse at dusk', 'a fox in fresh snow', 'rain on a tin roof'].map((prompt) => submitVideo(simulator.url, simulator.apiKey, prompt)));
    const summary = await lastValueFrom(runBatch(taskUUIDs, { outDir: 'downloads', ...connection }), { defaultValue: { downloaded: [], failed: [] } });
    console.log(`downloaded ${summary.downloaded.length} video(s) to downloads/, ${summary.failed.length} failed generation(s)`);
    if (summary.failed.length > 0) process.exitCode = 1;
  } finally {
    await simulator?.close();
  }
}
