import { timer, expand, concatMap, EMPTY, Observable, asyncScheduler, NEVER } from 'rxjs';
import { watchWithTransport } from '../src/watchTask.js';
import { resolveWatchSettings } from '../src/options.js';
const N = 10000;
function gc() { (globalThis as any).gc(); (globalThis as any).gc(); }
function measure(name: string, make: (i: number) => { unsubscribe(): void }) {
  gc(); const before = process.memoryUsage().heapUsed; const subs = [];
  for (let i = 0; i < N; i++) subs.push(make(i));
  gc(); const after = process.memoryUsage().heapUsed;
  console.log(name.padEnd(50), ((after - before) / N).toFixed(0), 'B');
  for (const s of subs) s.unsubscribe();
}
const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
measure('bare new Observable + subscribe({})', () => new Observable(() => {}).subscribe({ next() {}, error() {}, complete() {} }));
measure('new Observable + timer inside', () => new Observable((s) => { s.add(timer(100000).subscribe(() => s.error(1))); }).subscribe({ next() {}, error() {}, complete() {} }));
measure('timer(asyncScheduler) only', () => timer(100000, asyncScheduler).subscribe());
measure('timer.pipe(concatMap).pipe(expand)', () => timer(100000).pipe(concatMap(() => EMPTY), expand(() => EMPTY)).subscribe({ next() {}, error() {}, complete() {} }));
const settings = resolveWatchSettings({ initialDelay: 100000 });
measure('watchWithTransport shared settings', (i) => watchWithTransport(uuid(i), () => NEVER, settings).subscribe());
measure('settings object alone', () => { const s = resolveWatchSettings({ initialDelay: 100000 }); return { s, unsubscribe() {} }; });
process.exit(0);
