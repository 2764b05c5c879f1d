/**
 * The version of the installed package, for `runware-rx --version`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/**
 * `version` of the package.json two directories up: the package root from both src/cli/ (tsx) and
 * dist/cli/ (the installed bin). Read on demand, so the CLI's other commands never touch the file.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}
