/**
 * `npm run size`: the minified + gzipped size of the built core, as an app bundler would ship it.
 * rxjs (a peer) and the runtime dependencies are left out: an app pays for them once, whoever imports
 * them. Run after `npm run build`.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** Budgets in min+gzip bytes: a change that crosses one fails `npm run size` and needs a look. */
const ENTRIES = [
  { name: 'runware-rx', file: 'dist/index.js', budget: 10240 },
  { name: 'runware-rx/testing', file: 'dist/testing/index.js', budget: 4096 },
] as const;
const EXTERNAL = ['rxjs', 'rxjs/*', 'fp-ts', 'fp-ts/*', 'io-ts', 'io-ts/*', 'cross-fetch'];

for (const entry of ENTRIES) {
  if (!existsSync(entry.file)) {
    console.error(`size: ${entry.file} is missing; run npm run build first`);
    process.exit(1);
  }
  const result = await build({
    entryPoints: [entry.file],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    external: EXTERNAL,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gzip = gzipSync(code, { level: 9 }).length;
  const verdict = gzip <= entry.budget ? `within the ${entry.budget} B budget` : `OVER the ${entry.budget} B budget`;
  console.log(`${entry.name.padEnd(20)} ${(code.length / 1024).toFixed(1).padStart(6)} kB minified  ${(gzip / 1024).toFixed(1).padStart(5)} kB min+gzip  (${gzip} bytes, ${verdict})`);
  if (gzip > entry.budget) process.exitCode = 1;
}
console.log(`external: ${EXTERNAL.filter((name) => !name.includes('*')).join(', ')}`);

/**
 * What a browser app pays for a watch, its dependencies included (io-ts, fp-ts, cross-fetch's browser
 * side), rxjs left out: the app has it anyway. Budgets in min+gzip bytes, as above.
 */
const BROWSER_IMPORTS = [
  { name: 'watchTask', budget: 26624 },
  { name: 'watchTaskStream', budget: 26624 },
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
