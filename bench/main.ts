/**
 * `npm run bench`: runware-rx against the simulator over loopback, with ratios against a baseline that
 * polls each task on its own the way the official SDK does. Prints Markdown tables (docs/performance.md
 * holds the latest). Takes about 3.5 minutes on 2 cores; see docs/performance.md for what is scaled down.
 * `BENCH=cadence` runs only the learned cadence's virtual-time part (about 15 s); `BENCH=push` only push
 * beside polling (about a minute); `BENCH=redis` only several processes through one Redis (about a minute);
 * `BENCH=tails` the cadence on real durations (about 20 s); `BENCH=frontier` the cadence at several prices beside
 * the oracle (about a minute); `BENCH=optimal` the optimal rule on the learned durations, a lever not kept
 * (several minutes).
 */
import { cadenceBench, cadenceReport } from './cadenceBench.js';
import { tailsBench, tailsReport } from './cadenceTails.js';
import { frontierReport } from './cadenceFrontier.js';
import { optimalReport } from './cadenceOptimal.js';
import { decodeCosts } from './decodeCost.js';
import { pollCostReport, pollCosts } from './pollCost.js';
import { idleWatchHeap, inFlightWatchHeap } from './watchHeap.js';
import { pollingRun, type Mode, type RunResult } from './pollingRun.js';
import { pushBench } from './pushBench.js';
import { sharedBench } from './sharedBench.js';
import { spawnSimulator } from './spawnSimulator.js';

/** Simulated ms per real ms, for the simulator and the client alike. */
const SCALE = 10;
const MODES: ReadonlyArray<Mode> = ['baseline', 'unbatched', 'batched'];

const started = performance.now();
const log = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const percentile = (values: Float64Array, p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

if (process.env['BENCH'] === 'tails') {
  log('learned cadence on real durations (virtual time, six seeds)');
  process.stdout.write(`${tailsReport(tailsBench())}\n`);
  process.exit(0);
}

if (process.env['BENCH'] === 'frontier') {
  log('what one pollPrice can meet, and the oracle (virtual time, six seeds)');
  process.stdout.write(`${frontierReport()}\n`);
  process.exit(0);
}

if (process.env['BENCH'] === 'optimal') {
  log('the optimal rule on the learned durations, by price and halfLife (virtual time, six seeds)');
  process.stdout.write(`${optimalReport(log)}\n`);
  process.exit(0);
}

if (process.env['BENCH'] === 'cadence') {
  log('learned cadence (virtual time)');
  process.stdout.write(`${cadenceReport(cadenceBench())}\n`);
  log('learned cadence on real durations (virtual time, six seeds)');
  process.stdout.write(`\n${tailsReport(tailsBench())}\n`);
  process.exit(0);
}

const kb = (bytes: number | undefined): string => (bytes === undefined ? 'n/a (needs --expose-gc)' : `${fixed(bytes / 1024)} KB`);
const mark = (pass: boolean): string => (pass ? 'met' : '**missed**');

/** The whole poll's table, the heap per watch with a poll in flight, and their targets. */
async function pollReport(): Promise<{ table: string; targets: string[] }> {
  log('whole poll vs JSON.parse');
  const polls = pollCosts();
  log('heap per watch with a poll in flight');
  const inFlight = await inFlightWatchHeap(10_000);
  const worst = Math.max(...polls.map((cost) => cost.ratio));
  return {
    table: pollCostReport(polls),
    targets: [
      `| a whole poll <= 3x JSON.parse of its reply (worst of the three replies) | ${fixed(worst)}x | ${mark(worst <= 3)} |`,
      `| heap <= 4 KB per watch: 10 000 watches, each with a poll in flight | ${kb(inFlight)} | ${inFlight === undefined ? '' : mark(inFlight <= 4096)} |`,
    ],
  };
}

if (process.env['BENCH'] === 'poll') {
  const { table, targets } = await pollReport();
  process.stdout.write(`${table}\n\n| target | measured | |\n|---|---:|---|\n${targets.join('\n')}\n`);
  process.exit(0);
}

if (process.env['BENCH'] === 'redis') {
  process.stdout.write(`${await sharedBench(log)}\n`);
  log('done');
  process.exit(0);
}

if (process.env['BENCH'] === 'push') {
  process.stdout.write(`${await pushBench(log)}\n`);
  log('done');
  process.exit(0);
}

const poll = await pollReport();
log('CPU per poll');
const costs = decodeCosts();
log('heap per idle watch');
const idleHeap = idleWatchHeap(10_000, true);

const simulator = await spawnSimulator({ timeScale: SCALE, maxTasks: 1_000_000, seed: 7 });
const results: RunResult[] = [];
try {
  log('K = 1 and K = 100, all modes at once');
  results.push(...(await Promise.all([1, 100].flatMap((K) => MODES.map((mode) => pollingRun(simulator, mode, K, SCALE))))));
  for (const mode of MODES) {
    log(`K = 1000, ${mode}`);
    results.push(await pollingRun(simulator, mode, 1000, SCALE));
  }
  // Batched first: the heap per watch is then measured before the other modes' sockets and garbage exist.
  log('K = 10000, batched (with heap per watch)');
  results.push(await pollingRun(simulator, 'batched', 10_000, SCALE, { measureHeap: true }));
  for (const mode of ['unbatched', 'baseline'] as const) {
    log(`K = 10000, ${mode}`);
    results.push(await pollingRun(simulator, mode, 10_000, SCALE));
  }
} finally {
  await simulator.close();
}
log('learned cadence (virtual time)');
const cadence = cadenceBench();
log('learned cadence on real durations (virtual time, six seeds)');
const tails = tailsBench();
const push = await pushBench(log);
const shared = await sharedBench(log);
log('done');

const find = (mode: Mode, K: number): RunResult | undefined => results.find((result) => result.mode === mode && result.K === K);
const perTick = (result: RunResult): number => (result.K * result.pollRequests) / Math.max(1, result.pollTasks);
const pollsPerTask = (result: RunResult): number => result.pollRequests / Math.max(1, result.completed);

const out: string[] = [];
out.push(`Simulated time x${SCALE} (simulator timeScale and client scheduler alike); video tasks of 30 to 240 s (seeded, the same list in every mode); numberResults 1.`);
out.push('');
out.push('#### Requests');
out.push('');
out.push('| K | mode | completed | poll requests per task | requests per task incl. submit | HTTP requests per poll tick | vs baseline | vs unbatched | event-loop p99 (ms) | real s |');
out.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const K of [1, 100, 1000, 10_000]) {
  for (const mode of MODES) {
    const result = find(mode, K);
    if (result === undefined) {
      out.push(`| ${K} | ${mode} | not run | | | ${K} by construction | | | | |`);
      continue;
    }
    const baseline = find('baseline', K);
    const unbatched = find('unbatched', K);
    out.push(
      `| ${K} | ${mode} | ${result.completed}/${K}${result.failed > 0 ? ` (${result.failed} failed)` : ''} | ${fixed(pollsPerTask(result))} | ${fixed((result.pollRequests + result.submits) / Math.max(1, result.completed))} | ${fixed(perTick(result))} | ${baseline ? `${fixed(perTick(result) / perTick(baseline), 3)}x` : 'n/a'} | ${unbatched ? `${fixed(perTick(result) / perTick(unbatched), 3)}x` : 'n/a'} | ${fixed(result.loopDelayP99, 1)} | ${fixed(result.realSeconds, 1)} |`,
    );
  }
}
out.push('');
out.push('#### Notification lag and polls per generation (task durations 30 to 240 s)');
out.push('');
out.push('| K | mode | lag p50 (s) | lag p95 (s) | lag max (s) | polls per generation | polls vs baseline |');
out.push('|---:|---|---:|---:|---:|---:|---:|');
for (const K of [100, 1000, 10_000]) {
  for (const mode of MODES) {
    const result = find(mode, K);
    const baseline = find('baseline', K);
    if (result === undefined || baseline === undefined) continue;
    const polls = result.pollTasks / Math.max(1, result.completed);
    const basePolls = baseline.pollTasks / Math.max(1, baseline.completed);
    out.push(`| ${K} | ${mode} | ${fixed(percentile(result.lags, 50) / 1000)} | ${fixed(percentile(result.lags, 95) / 1000)} | ${fixed(percentile(result.lags, 100) / 1000)} | ${fixed(polls)} | ${fixed(polls / basePolls, 3)}x |`);
  }
}
out.push('');
out.push('#### CPU per poll: decode + reconcile vs a bare JSON.parse of the same body');
out.push('');
out.push('| reply body | bytes | JSON.parse (µs) | decode + reconcile (µs) | ratio |');
out.push('|---|---:|---:|---:|---:|');
for (const cost of costs) out.push(`| ${cost.body} | ${cost.bytes} | ${fixed(cost.parseMicros, 3)} | ${fixed(cost.decodeReconcileMicros, 3)} | ${fixed(cost.ratio)}x |`);
out.push('');
out.push('#### CPU per poll: a whole poll through the watch vs a bare JSON.parse of the same text');
out.push('');
out.push(poll.table);
out.push('');
out.push('#### Targets');
out.push('');
const b1000 = find('batched', 1000);
const u1000 = find('unbatched', 1000);
const big = find('batched', 10_000);
const tickRatio = b1000 && u1000 ? perTick(b1000) / perTick(u1000) : Number.NaN;
const singleCosts = costs.filter((cost) => !cost.body.startsWith('batch'));
const worstCost = Math.max(...singleCosts.map((cost) => cost.ratio));
const ours = results.filter((result) => result.mode !== 'baseline');
const worstLoop = Math.max(...ours.map((result) => result.loopDelayP99));
const worstLoopUpTo1000 = Math.max(...ours.filter((result) => result.K <= 1000).map((result) => result.loopDelayP99));
const heap = big?.heapPerWatch;
out.push('| target | measured | |');
out.push('|---|---:|---|');
out.push(`| batched requests per tick at K = 1000 <= 1/50 of unbatched | 1/${fixed(1 / tickRatio, 0)} | ${mark(tickRatio <= 1 / 50)} |`);
out.push(`| decode + reconcile <= 3x JSON.parse (one task's reply, worst body) | ${fixed(worstCost)}x | ${mark(worstCost <= 3)} |`);
out.push(...poll.targets);
out.push(`| heap <= 4 KB per watch: 10 000 idle watches of one client | ${kb(idleHeap)} | ${idleHeap === undefined ? '' : mark(idleHeap <= 4096)} |`);
out.push(`| heap <= 4 KB per watch: K = 10 000 batched run, once every watch has had a reply | ${kb(heap)} | ${heap === undefined ? '' : mark(heap <= 4096)} |`);
out.push(`| event-loop lag p99 < 50 ms, runware-rx runs up to K = 1000 | ${fixed(worstLoopUpTo1000, 1)} ms | ${mark(worstLoopUpTo1000 < 50)} |`);
out.push(`| event-loop lag p99 < 50 ms, every runware-rx run (incl. K = 10 000) | ${fixed(worstLoop, 1)} ms | ${mark(worstLoop < 50)} |`);
process.stdout.write(`${out.join('\n')}\n`);
process.stdout.write(`\n${cadenceReport(cadence)}\n`);
process.stdout.write(`\n${tailsReport(tails)}\n`);
process.stdout.write(`\n${push}\n`);
process.stdout.write(`\n${shared}\n`);
