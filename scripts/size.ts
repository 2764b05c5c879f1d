/**
 * `npm run size`: the minified + gzipped size of the built entries, as an app bundler would ship them,
 * and of the two imports an app starts with (`watchTask` alone, `createRunwareClient` alone), so what
 * tree-shaking leaves is measured too. rxjs (a peer) and the runtime dependencies are left out: an app
 * pays for them once, whoever imports them. Run after `npm run build`.
 */
import { build, type BuildOptions } from 'esbuild';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Budgets in min+gzip bytes: a change that crosses one fails `npm run size` and needs a look.
 * - `runware-rx` went from 10240 to 17408 bytes (measured at the merges, main entry / `watchTask` alone):
 *   9843 / 6439 before issue 10; the tolerant reader +1748 / +1535 (every error shape, status-less
 *   results, the output-field table, identity of a generation); issue 12's hardening +1699 / +1727
 *   (redirects, Retry-After limits, size and depth limits, key redaction in every form); batching
 *   without cascades +556 / 0; the cadence store +1013 / +44 (956 bytes of it is `createCadence`, which an
 *   app that does not import it tree-shakes away); the cadence wired into `watchTask` and the client
 *   (merged beside this budget) +1758 / +1595. Each buys correctness on a real reply or a hostile one,
 *   or fewer requests. Then push in the watch, the browser side (key-less connections, `watchTaskStream`)
 *   and the cheaper poll brought the entry to 19949 / 13176 and `createRunwareClient` alone to 18355.
 *   The budgets leave about 5 % over the figures measured on that last merge.
 * - `runware-rx/testing` went from 4096 to 5120 bytes with `REPLY_SHAPES`: fixture data, which is what
 *   the entry is for (tests, not an app's bundle).
 */
const ENTRIES = [
  { name: 'runware-rx', file: 'dist/index.js', budget: 20480 },
  { name: 'runware-rx/testing', file: 'dist/testing/index.js', budget: 5120 },
] as const;
/** One import of the main entry, bundled alone: what an app that uses only it ships. */
const IMPORTS = [
  { name: '{ watchTask }', code: "export { watchTask } from './dist/index.js';", budget: 13568 },
  { name: '{ createRunwareClient }', code: "export { createRunwareClient } from './dist/index.js';", budget: 18944 },
] as const;
const EXTERNAL = ['rxjs', 'rxjs/*', 'fp-ts', 'fp-ts/*', 'io-ts', 'io-ts/*', 'cross-fetch'];
const COMMON: BuildOptions = { bundle: true, minify: true, format: 'esm', platform: 'neutral', external: EXTERNAL, write: false, logLevel: 'error' };

async function measure(name: string, budget: number, source: Pick<BuildOptions, 'entryPoints' | 'stdin'>): Promise<void> {
  const result = await build({ ...COMMON, ...source });
  const code = result.outputFiles?.[0]?.contents ?? new Uint8Array();
  const gzip = gzipSync(code, { level: 9 }).length;
  const verdict = gzip <= budget ? `within the ${budget} B budget` : `OVER the ${budget} B budget`;
  console.log(`${name.padEnd(24)} ${(code.length / 1024).toFixed(1).padStart(6)} kB minified  ${(gzip / 1024).toFixed(1).padStart(5)} kB min+gzip  (${gzip} bytes, ${verdict})`);
  if (gzip > budget) process.exitCode = 1;
}

for (const entry of ENTRIES) {
  if (!existsSync(entry.file)) {
    console.error(`size: ${entry.file} is missing; run npm run build first`);
    process.exit(1);
  }
  await measure(entry.name, entry.budget, { entryPoints: [entry.file] });
}
for (const entry of IMPORTS) await measure(entry.name, entry.budget, { stdin: { contents: entry.code, resolveDir: process.cwd(), sourcefile: 'import.js' } });
console.log(`external: ${EXTERNAL.filter((name) => !name.includes('*')).join(', ')}`);

/**
 * What a browser app pays for a watch, its dependencies included (io-ts, fp-ts, cross-fetch's browser
 * side), rxjs left out: the app has it anyway. Budgets in min+gzip bytes, as above.
 */
const BROWSER_IMPORTS = [
  { name: 'watchTask', budget: 28160 },
  { name: 'watchTaskStream', budget: 29440 },
] as const;
for (const entry of BROWSER_IMPORTS) {
  const result = await build({
    stdin: { contents: `export { ${entry.name} } from './dist/index.js';`, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['rxjs', 'rxjs/*'],
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gzip = gzipSync(code, { level: 9 }).length;
  const verdict = gzip <= entry.budget ? `within the ${entry.budget} B budget` : `OVER the ${entry.budget} B budget`;
  console.log(`browser: ${entry.name.padEnd(16)} ${(code.length / 1024).toFixed(1).padStart(6)} kB minified  ${(gzip / 1024).toFixed(1).padStart(5)} kB min+gzip  (${gzip} bytes, ${verdict}; dependencies included, rxjs external)`);
  if (gzip > entry.budget) process.exitCode = 1;
}
