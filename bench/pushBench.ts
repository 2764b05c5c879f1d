/**
 * The push part of `npm run bench` (alone: `BENCH=push`): push runs side by side with a polling run of
 * the same workload, lost, duplicated and reordered webhooks, and an attack on the receiver. Every
 * simulator runs in its own process; the receiver and the client share this one.
 */
import { createCadence } from '../src/index.js';
import { createWebhookReceiver } from '../src/server/index.js';
import { pollingRun } from './pollingRun.js';
import { pushRun, startLoopbackReceiver, type PushRunResult } from './pushRun.js';
import { spawnSimulator } from './spawnSimulator.js';

/** Simulated ms per real ms: the 30 to 240 s videos take 1.5 to 12 s, the 1 000 webhooks spread over 10 s. */
const PUSH_SCALE = 20;
const K = 1000;
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const mean = (values: Float64Array): number => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const percentile = (values: Float64Array, p: number): number => {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const mark = (pass: boolean): string => (pass ? 'met' : '**missed**');

/** Runs the push bench, logging progress with `log`; returns its Markdown report. */
export async function pushBench(log: (line: string) => void): Promise<string> {
  const local = await startLoopbackReceiver(SECRET);
  const runs: Array<{ readonly name: string; readonly result: PushRunResult }> = [];
  let polling: { lags: Float64Array; pollsPerTask: number; completed: number } | undefined;
  try {
    // The store of a client that has run a while: the warm-up's pushes teach it the model's durations.
    const learned = createCadence();
    const clean = await spawnSimulator({ timeScale: PUSH_SCALE, maxTasks: 1_000_000, seed: 7 });
    try {
      log('push: warm-up, 100 tasks (not reported; they teach the learned cadence)');
      await pushRun(clean, local, 100, PUSH_SCALE, 1, learned);
      log(`push: K = ${K} with push, no webhook lost, nothing learned`);
      runs.push({ name: 'push, nothing learned', result: await pushRun(clean, local, K, PUSH_SCALE, 1, createCadence()) });
      log(`push: K = ${K} with push, no webhook lost, learned cadence`);
      runs.push({ name: 'push, learned cadence', result: await pushRun(clean, local, K, PUSH_SCALE, 1, learned) });
      log(`push: K = ${K} polling only (the same workload)`);
      const polled = await pollingRun(clean, 'unbatched', K, PUSH_SCALE);
      polling = { lags: polled.lags.map((lag) => lag / PUSH_SCALE), pollsPerTask: polled.pollRequests / Math.max(1, polled.completed), completed: polled.completed };
    } finally {
      await clean.close();
    }
    const faulty = [
      { name: 'push, learned, 30 % of webhooks dropped', webhooks: { dropRate: 0.3 }, numberResults: 2 },
      { name: 'push, learned, 30 % duplicated, 30 % reordered', webhooks: { duplicateRate: 0.3, reorderRate: 0.3 }, numberResults: 2 },
    ];
    for (const run of faulty) {
      const simulator = await spawnSimulator({ timeScale: PUSH_SCALE, maxTasks: 1_000_000, seed: 7, webhooks: run.webhooks });
      try {
        log(`push: K = ${K}, ${run.name}`);
        runs.push({ name: run.name, result: await pushRun(simulator, local, K, PUSH_SCALE, run.numberResults, learned) });
      } finally {
        await simulator.close();
      }
    }
  } finally {
    await local.close();
  }
  log('push: forged, expired and oversized webhooks');
  const attack = await attackReceiver();

  const out: string[] = [];
  out.push(`#### Push (webhooks) beside polling: K = ${K} video tasks of 30 to 240 s, simulated time x${PUSH_SCALE}, lag in real ms`);
  out.push('');
  out.push('| run | completed | every generation | duplicate events | lag mean (ms) | lag p99 (ms) | lag max (ms) | receiver to event mean / p99 (ms) | getResponse polls per task | real s |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  if (polling !== undefined) {
    out.push(`| polling only (client defaults) | ${polling.completed}/${K} | | | ${fixed(mean(polling.lags))} | ${fixed(percentile(polling.lags, 99))} | ${fixed(percentile(polling.lags, 100))} | | ${fixed(polling.pollsPerTask, 2)} | |`);
  }
  for (const { name, result } of runs) {
    out.push(
      `| ${name} | ${result.completed}/${K} | ${result.allGenerations}/${K} | ${result.duplicateEvents} | ${fixed(mean(result.lags))} | ${fixed(percentile(result.lags, 99))} | ${fixed(percentile(result.lags, 100))} | ${fixed(mean(result.receiverLags), 2)} / ${fixed(percentile(result.receiverLags, 99), 2)} | ${fixed(result.pollRequests / Math.max(1, result.completed), 2)} | ${fixed(result.realSeconds)} |`,
    );
  }
  out.push('');
  out.push('| webhooks sent to the receiver | refused and counted | published |');
  out.push('|---|---:|---:|');
  for (const row of attack.rows) out.push(`| ${row.sent} ${row.kind} | ${row.counted} | 0 |`);
  out.push(`| then a genuine one | ${attack.healthy ? 'accepted (204)' : '**not accepted**'} | 1 |`);
  out.push('');
  const [fresh, push, dropped, shuffled] = runs.map((run) => run.result);
  out.push('| push target | measured | |');
  out.push('|---|---:|---|');
  for (const [name, result] of [['nothing learned', fresh], ['learned cadence', push]] as const) {
    if (result === undefined) continue;
    const polls = result.pollRequests / Math.max(1, result.completed);
    out.push(`| ${name}: mean lag from finish to event <= 50 ms | ${fixed(mean(result.lags))} ms | ${mark(mean(result.lags) <= 50)} |`);
    out.push(`| ${name}: p99 lag <= 250 ms | ${fixed(percentile(result.lags, 99))} ms | ${mark(percentile(result.lags, 99) <= 250)} |`);
    out.push(`| ${name}: getResponse polls per task <= 1.5 | ${fixed(polls, 2)} | ${mark(polls <= 1.5)} |`);
  }
  if (dropped !== undefined) out.push(`| 30 % dropped: every task completes with every generation | ${dropped.allGenerations}/${K} | ${mark(dropped.allGenerations === K)} |`);
  if (shuffled !== undefined) {
    out.push(`| duplicated and reordered: no duplicate or missing event | ${shuffled.duplicateEvents} duplicates, ${shuffled.allGenerations}/${K} complete | ${mark(shuffled.duplicateEvents === 0 && shuffled.allGenerations === K)} |`);
  }
  out.push(`| forged, expired, oversized: refused, counted, nothing published, process healthy | ${attack.rows.map((row) => `${row.counted}/${row.sent}`).join(', ')} | ${mark(attack.healthy && attack.rows.every((row) => row.counted === row.sent) && attack.published === 0)} |`);
  return out.join('\n');
}

interface AttackResult {
  readonly rows: ReadonlyArray<{ readonly kind: string; readonly sent: number; readonly counted: number }>;
  readonly published: number;
  readonly healthy: boolean;
}

/** Forged, expired and oversized webhooks, all at once, then a genuine one. */
async function attackReceiver(): Promise<AttackResult> {
  const target = await startLoopbackReceiver(SECRET, 65_536);
  try {
    // The same secret two days ago: genuine tokens, long expired.
    const past = createWebhookReceiver({ publicUrl: target.url, secret: SECRET, scheduler: { now: () => Date.now() - 2 * 86_400_000, schedule: () => { throw new Error('unused'); } } });
    const body = (taskUUID: string, extra = ''): string => JSON.stringify({ taskUUID, taskType: 'videoInference', status: 'success', videoURL: `https://example.com/${taskUUID}.mp4${extra}` });
    const post = async (url: string, text: string): Promise<number> => {
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
      await response.body?.cancel();
      return response.status;
    };
    const forged = Array.from({ length: 300 }, (_, n) => {
      const taskUUID = crypto.randomUUID();
      const url = new URL(target.receiver.urlFor(taskUUID));
      // Half with a tampered signature, half with another task's genuine token.
      // The first character carries six bits of the MAC: changing it always forges (the last two, once
      // overwritten with 'AA', were 'AA' already now and then, and that token was genuine).
      const token = url.searchParams.get('token') ?? '';
      if (n % 2 === 0) url.searchParams.set('token', `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`);
      else url.searchParams.set('task', crypto.randomUUID());
      return post(url.href, body(taskUUID));
    });
    const expired = Array.from({ length: 300 }, () => {
      const taskUUID = crypto.randomUUID();
      return post(past.urlFor(taskUUID), body(taskUUID));
    });
    const oversized = Array.from({ length: 50 }, () => {
      const taskUUID = crypto.randomUUID();
      return post(target.receiver.urlFor(taskUUID), body(taskUUID, `?${'x'.repeat(200_000)}`)).catch(() => 413);
    });
    await Promise.all([...forged, ...expired, ...oversized]);
    const stats = target.receiver.stats();
    const genuine = crypto.randomUUID();
    const healthy = (await post(target.receiver.urlFor(genuine), body(genuine))) === 204;
    return {
      rows: [
        { kind: 'forged (tampered token, another task\'s token)', sent: forged.length, counted: stats.forged },
        { kind: 'expired', sent: expired.length, counted: stats.expired },
        { kind: 'oversized (200 KB, limit 64 KiB)', sent: oversized.length, counted: stats.oversized },
      ],
      published: stats.accepted,
      healthy,
    };
  } finally {
    await target.close();
  }
}
