import { timer, expand, concatMap, EMPTY, Observable, asyncScheduler, NEVER, of } from 'rxjs';
const N = 10000;
function gc() { (globalThis as any).gc(); (globalThis as any).gc(); }
function measure(name: string, make: (i: number) => { unsubscribe(): void }) {
  gc(); const before = process.memoryUsage().heapUsed; const subs = [];
  for (let i = 0; i < N; i++) subs.push(make(i));
  gc(); const after = process.memoryUsage().heapUsed;
  console.log(name.padEnd(50), ((after - before) / N).toFixed(0), 'B');
  for (const s of subs) s.unsubscribe();
}
function lean(taskUUID: string, withDeadline: boolean) {
  const scheduler = asyncScheduler;
  const poll = (next: { delay: number; attempt: number }): Observable<any> => timer(next.delay, scheduler).pipe(concatMap(() => of({ next })));
  return new Observable<unknown>((subscriber) => {
    let latest = { taskUUID, slots: [] as unknown[] };
    if (withDeadline) subscriber.add(timer(1200000, scheduler).subscribe(() => subscriber.error(latest)));
    subscriber.add(
      poll({ delay: 100000, attempt: 1 }).pipe(expand((o) => (o ? EMPTY : poll(o)))).subscribe({
        next: (o) => { latest = o; },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
  });
}
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
measure('lean with deadline', (i) => lean(uuid(i), true).subscribe());
measure('lean without deadline', (i) => lean(uuid(i), false).subscribe());
measure('uuid strings', (i) => { const s = uuid(i); return { s, unsubscribe() {} }; });
process.exit(0);
