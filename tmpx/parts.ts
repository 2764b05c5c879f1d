import { timer, defer, expand, tap, concatMap, EMPTY, map, catchError, of, asyncScheduler } from 'rxjs';
import { failAfter } from '../src/operators/failAfter.js';
const N = 10000;
function gc() { (globalThis as any).gc(); (globalThis as any).gc(); }
function measure(name: string, make: (i: number) => { unsubscribe(): void }) {
  gc(); const before = process.memoryUsage().heapUsed; const subs = [];
  for (let i = 0; i < N; i++) subs.push(make(i));
  gc(); const after = process.memoryUsage().heapUsed;
  console.log(name.padEnd(40), ((after - before) / N).toFixed(0), 'B');
  for (const s of subs) s.unsubscribe();
}
measure('timer', () => timer(100000).subscribe());
measure('timer+concatMap', () => timer(100000).pipe(concatMap(() => EMPTY)).subscribe());
measure('timer+concatMap+map+catch+tap', () => timer(100000).pipe(concatMap(() => EMPTY), map(x => x), catchError(() => EMPTY), tap(() => 0)).subscribe());
measure('..+expand+tap+concatMap', () => timer(100000).pipe(concatMap(() => EMPTY), expand(() => EMPTY), tap(() => 0), concatMap(() => [])).subscribe());
measure('..+failAfter', () => timer(100000).pipe(concatMap(() => EMPTY), expand(() => EMPTY), tap(() => 0), concatMap(() => []), failAfter(1200000, asyncScheduler, () => 0)).subscribe());
process.exit(0);
