/** A micro-benchmark's clock: time per call of a function, after a warm-up. */

/** Nanoseconds per call of `work`, over enough calls to run about `budgetMs`. */
export function timePerCall(work: () => unknown, budgetMs: number): number {
  for (let warm = 0; warm < 2000; warm += 1) work();
  let calls = 0;
  let sink: unknown;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(budgetMs * 1e6);
  let now = started;
  while (now < deadline) {
    for (let n = 0; n < 500; n += 1) sink = work();
    calls += 500;
    now = process.hrtime.bigint();
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return Number(now - started) / calls;
}
