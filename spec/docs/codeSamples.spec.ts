/**
 * Every TypeScript sample in README.md, docs/**\/*.md and the doc comments of src/ compiles against the
 * BUILT package; the samples marked `run` are executed too.
 *
 * Convention for Markdown authors:
 * - A block fenced as ```ts (or ```typescript) is type-checked. It must be a complete module: write its
 *   imports (`runware-rx`, `runware-rx/testing`, `runware-rx/simulator`, `rxjs`, `@angular/core`, node:*),
 *   and declare what it does not define (`declare const taskUUID: string;`).
 * - A block fenced as ```ts run is type-checked and then executed (types erased, in a worker thread of its
 *   own); it must finish on its own (exit code 0) without network access beyond loopback and without an API key, and should assert or
 *   print what it shows.
 * - Any other fence (```sh, ```json, ```text, ```ts-fragment...) is left alone: use ```text for marble
 *   diagrams and pseudo-code.
 *
 * Convention for doc comments (`@example` blocks, which TypeDoc publishes): the same fences and rules,
 * for every .ts file under src/. A comment's lines are read with the leading ` * ` removed. An example
 * of a public symbol imports it from the package, as a user would. An example of an internal module (one
 * the entry points do not export) imports it by relative path, as src/ does (`from './backoff.js'`): the
 * spec points that path at the same module in dist/. Every value exported by an entry point
 * (src/index.ts, src/testing/index.ts, src/simulator/index.ts) must carry such an example.
 *
 * How: each block is written to `.samples/` at the package root (git-ignored), where `runware-rx` and its
 * subpaths resolve by package self-reference through the `exports` map to `dist/` (so run
 * `npm run build` first; `npm test` does). The compiler options are the project's own, minus the
 * `paths` that map the package name to `src/` for the examples. Runnable samples are transpiled to .mjs
 * beside their .ts, bundled together with esbuild (same resolution through the `exports` map, the code
 * they share split into common chunks), and run a few at a time, each in a worker thread: a thread
 * loads a few bundled files instead of some 500 modules of dist/, rxjs, io-ts and fp-ts, which is
 * most of a sample's cost. One more thread loads every entry point of dist/ unbundled, with Node's own
 * module loader, as users' code does.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import ts from 'typescript';

const ROOT = process.cwd();
const SAMPLES = join(ROOT, '.samples');

interface Sample {
  readonly source: string; // markdown file, relative to ROOT
  readonly line: number; // 1-based line of the opening fence
  readonly code: string;
  readonly run: boolean;
  readonly file: string; // absolute path of the written .ts file
}

function markdownFiles(): string[] {
  const files = existsSync(join(ROOT, 'README.md')) ? ['README.md'] : [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && relative(ROOT, path) !== join('docs', 'api')) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'docs'));
  return files.sort();
}

/** Exported for its own spec: the fenced ts blocks of one Markdown text. */
export function extractSamples(markdown: string): Array<{ line: number; code: string; run: boolean }> {
  const blocks: Array<{ line: number; code: string; run: boolean }> = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(ts|typescript)(\s+[^`]*)?\s*$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '```', , info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${fence}\\s*$`).test(lines[j] ?? ''); j++) body.push((lines[j] ?? '').slice(indent.length));
    blocks.push({ line: i + 1, code: body.join('\n'), run: info.trim().split(/\s+/).includes('run') });
    i = j;
  }
  return blocks;
}

/** Source files whose doc-comment examples are checked too: every .ts file under src/. */
function commentedSources(): string[] {
  const dir = join(ROOT, 'src');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Exported for its own spec: `code` from the doc comments of `source` (a path under src/), its relative
 * imports pointed at the same modules in `dist/` as seen from `samplesDir`. Other code is returned as is.
 */
export function pointRelativeImportsAtDist(code: string, source: string, samplesDir: string): string {
  if (!source.startsWith(`src${'/'}`)) return code;
  return code.replace(/(\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.\.?\/[^'"]+)\2/g, (_match, lead: string, quote: string, specifier: string) => {
    const inSrc = relative(join(ROOT, 'src'), resolvePath(ROOT, dirname(source), specifier));
    const built = relative(samplesDir, join(ROOT, 'dist', inSrc));
    return `${lead}${quote}${built.startsWith('.') ? built : `./${built}`}${quote}`;
  });
}

/** The text of a source file's doc comments, line for line (other lines blanked, so line numbers hold). */
export function docCommentText(source: string): string {
  let inside = false;
  return source
    .split('\n')
    .map((line) => {
      const opening = !inside && /^\s*\/\*\*/.test(line);
      if (opening) inside = true;
      const text = inside && !opening ? line.replace(/^\s*\*(?!\/) ?/, '') : '';
      if (inside && line.includes('*/')) inside = false;
      return text.includes('*/') ? '' : text;
    })
    .join('\n');
}

function collect(): Sample[] {
  const read = (source: string): string => {
    const text = readFileSync(join(ROOT, source), 'utf8');
    return source.endsWith('.ts') ? docCommentText(text) : text;
  };
  return [...markdownFiles(), ...commentedSources()].flatMap((source) =>
    extractSamples(read(source)).map((block) => ({
      ...block,
      code: pointRelativeImportsAtDist(block.code, source, SAMPLES),
      source,
      file: join(SAMPLES, `${source.replace(/[\\/.]/g, '_')}_L${block.line}.ts`),
    })),
  );
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const samples = collect();

/** The public entry points, whose exported values must each show a checked example. */
const ENTRY_POINTS = ['src/index.ts', 'src/testing/index.ts', 'src/simulator/index.ts', 'src/server/index.ts', 'src/redis/index.ts'];

/** dist/'s typings of a src/ entry point. */
const builtTypings = (entry: string): string => join(ROOT, entry.replace(/^src/, 'dist').replace(/\.ts$/, '.d.ts'));

/** The samples' program (samples and the built typings of every entry point), shared with the API examples check. */
let samplesProgram: ts.Program | undefined;

/** `job` started once fewer than `limit` others run: a few samples at a time, not all of them at once. */
function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return (job) =>
    new Promise((resolveJob, rejectJob) => {
      const start = (): void => {
        active++;
        job()
          .then(resolveJob, rejectJob)
          .finally(() => {
            active--;
            waiting.shift()?.();
          });
      };
      if (active < limit) start();
      else waiting.push(start);
    });
}

/** The sample as plain JavaScript beside its .ts file (types erased, nothing else changed; the checker ran on the .ts). */
function transpile(sample: Sample, options: ts.CompilerOptions): string {
  const output = sample.file.replace(/\.ts$/, '.mjs');
  writeFileSync(output, ts.transpileModule(`${sample.code}\nexport {};\n`, { compilerOptions: { ...options, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler }, fileName: sample.file }).outputText);
  return output;
}

/**
 * The transpiled samples bundled with their imports, as ES modules in `.samples/bundled/` whose shared
 * code (dist/, rxjs...) sits in common chunks: the bundle of each sample, in the order given.
 * `require` is defined for the CommonJS dependencies that load Node's built-ins.
 */
async function bundle(files: ReadonlyArray<string>): Promise<string[]> {
  const outdir = join(SAMPLES, 'bundled');
  await build({
    entryPoints: [...files],
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __sampleRequire } from 'node:module'; const require = __sampleRequire(import.meta.url);" },
  });
  return files.map((file) => join(outdir, relative(SAMPLES, file)));
}

/**
 * Runs one transpiled sample in a worker thread of this process, without an API key: its own event loop,
 * globals and `process.exit`, so it "finishes on its own" exactly when its thread ends, and an uncaught
 * error is its failure. Output is captured, not printed. A thread is far cheaper than a Node process with
 * a TypeScript loader per sample.
 */
function execute(file: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(file, { env: { ...process.env, RUNWARE_API_KEY: '' }, stdout: true, stderr: true, execArgv: [] });
    let stderr = '';
    worker.stdout.resume();
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    worker.on('error', (error) => (stderr += `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
    worker.on('exit', (status) => resolve({ status, stderr }));
  });
}

describe('docs: code samples compile against the built package', function () {
  this.timeout(120_000);
  let diagnostics = new Map<string, string[]>();
  let compiled: ReadonlyArray<string> = [];
  let emitOptions: ts.CompilerOptions = {};
  const runs = new Map<string, Promise<{ status: number | null; stderr: string }>>();

  before(() => {
    const built = join(ROOT, 'dist', 'index.d.ts');
    if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
    if (newestMtime(join(ROOT, 'src')) > statSync(join(ROOT, 'dist', 'index.js')).mtimeMs) {
      throw new Error('dist/ is older than src/: run `npm run build` so the samples check the current API');
    }
    rmSync(SAMPLES, { recursive: true, force: true });
    mkdirSync(SAMPLES, { recursive: true });
    const project = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    const { paths: _paths, rootDir: _rootDir, ...compilerOptions } = project.compilerOptions;
    const config = { compilerOptions: { ...compilerOptions, types: ['node'], experimentalDecorators: true, exactOptionalPropertyTypes: true }, include: ['./*.ts'] };
    writeFileSync(join(SAMPLES, 'tsconfig.json'), JSON.stringify(config, null, 2));
    for (const sample of samples) writeFileSync(sample.file, `${sample.code}\nexport {};\n`);

    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, SAMPLES);
    emitOptions = parsed.options;
    const program = ts.createProgram([...parsed.fileNames, ...ENTRY_POINTS.map(builtTypings)], parsed.options);
    samplesProgram = program;
    compiled = program.getSourceFiles().map((file) => relative(ROOT, file.fileName));
    diagnostics = new Map();
    for (const diagnostic of [...ts.getPreEmitDiagnostics(program), ...parsed.errors]) {
      const file = diagnostic.file?.fileName ?? '(config)';
      const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      diagnostics.set(file, [...(diagnostics.get(file) ?? []), `block line ${where + 1}: TS${diagnostic.code} ${message}`]);
    }
  });

  // The runnable samples are queued once compiled and bundled, a few running at a time; each test awaits its own.
  before(async () => {
    const queue = limiter(Math.max(2, availableParallelism()));
    const runnable = samples.filter((candidate) => candidate.run && (diagnostics.get(candidate.file) ?? []).length === 0);
    const bundles = await bundle(runnable.map((sample) => transpile(sample, emitOptions)));
    runnable.forEach((sample, index) => {
      const file = bundles[index] ?? '';
      runs.set(sample.file, queue(() => execute(file)));
    });
  });

  it('finds the documentation files and their samples', () => {
    expect(markdownFiles()).to.include('docs/guides/getting-started.md');
    expect(samples.length).to.be.greaterThan(5);
  });

  it('finds the doc-comment examples of every source directory, not only src/testing', () => {
    const sources = new Set(samples.map((sample) => sample.source));
    expect([...sources]).to.include.members(['src/watch/watchTask.ts', 'src/errors/RunwareError.ts', 'src/testing/replies.ts', 'src/simulator/startSimulator.ts']);
  });

  it('reports no compiler error outside the samples (configuration, dist typings)', () => {
    const elsewhere = [...diagnostics.entries()].filter(([file]) => !file.startsWith(SAMPLES));
    expect(elsewhere).to.deep.equal([]);
  });

  it('loads every entry point of dist/ with Node\'s own module loader (the samples run bundled)', async () => {
    const loader = join(SAMPLES, 'entry-points.mjs');
    const specifiers = ENTRY_POINTS.map((entry) => entry.replace(/^src(\/(\w+))?\/index\.ts$/, 'runware-rx$1'));
    expect(specifiers).to.include.members(['runware-rx', 'runware-rx/testing']);
    const imports = specifiers.map((specifier) => `if (Object.keys(await import(${JSON.stringify(specifier)})).length === 0) throw new Error('${specifier}: no exports');`);
    writeFileSync(loader, `${imports.join('\n')}\n`);
    const result = await execute(loader);
    expect(result.status, result.stderr).to.equal(0);
  });

  it('resolves runware-rx to the built typings, never to src/', () => {
    expect(compiled).to.include(join('dist', 'index.d.ts'));
    expect(compiled.filter((file) => file.startsWith(`src${'/'}`))).to.deep.equal([]);
  });

  for (const sample of samples) {
    it(`${sample.source}:${sample.line} type-checks${sample.run ? ' and runs' : ''}`, async () => {
      expect(diagnostics.get(sample.file) ?? [], `${sample.source}:${sample.line}`).to.deep.equal([]);
      if (!sample.run) return;
      const result = await runs.get(sample.file);
      expect(result, 'not run').to.not.equal(undefined);
      expect(result?.status, `${sample.source}:${sample.line} exited with ${String(result?.status)}\n${result?.stderr ?? ''}`).to.equal(0);
    });
  }
});


/**
 * `entry:name` of every value (function, class, constant, codec) an entry point exports without a ```ts
 * `@example`, read from the built typings (which keep the doc comments) in the samples' own program.
 */
function valuesWithoutExample(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const entry of ENTRY_POINTS) {
    const file = program.getSourceFile(builtTypings(entry));
    const moduleSymbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (moduleSymbol === undefined) throw new Error(`${entry}: not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Value)) continue;
      const examples = symbol.getJsDocTags(checker).filter((tag) => tag.name === 'example');
      if (!examples.some((tag) => ts.displayPartsToString(tag.text).includes('```ts'))) missing.push(`${entry}:${exported.name}`);
    }
  }
  return missing.sort();
}

describe('docs: API examples', function () {
  this.timeout(60_000);

  it('gives every value exported by an entry point an @example with a ```ts block (checked above)', () => {
    expect(samplesProgram, 'the samples were compiled').to.not.equal(undefined);
    if (samplesProgram !== undefined) expect(valuesWithoutExample(samplesProgram)).to.deep.equal([]);
  });
});

describe('docs: pointRelativeImportsAtDist', () => {
  it('points the relative imports of a src/ example at dist/, seen from the samples directory', () => {
    const code = "import { backoffDelay } from './backoff.js';\nimport { watchTask } from 'runware-rx';\nconst m = await import('../options.js');";
    expect(pointRelativeImportsAtDist(code, 'src/schedule/backoff.ts', join(ROOT, '.samples')).split('\n')).to.deep.equal([
      "import { backoffDelay } from '../dist/schedule/backoff.js';",
      "import { watchTask } from 'runware-rx';",
      "const m = await import('../dist/options.js');",
    ]);
  });

  it('leaves the samples of Markdown files alone', () => {
    expect(pointRelativeImportsAtDist("import { x } from './x.js';", 'docs/guides/node.md', join(ROOT, '.samples'))).to.equal("import { x } from './x.js';");
  });
});

describe('docs: docCommentText', () => {
  it('keeps doc-comment lines without their star, blanks code, and keeps line numbers', () => {
    const source = ['/**', ' * Summary.', ' * ```ts', ' * f(1);', ' * ```', ' */', 'export function f(n: number) {}'].join('\n');
    expect(docCommentText(source).split('\n')).to.deep.equal(['', 'Summary.', '```ts', 'f(1);', '```', '', '']);
  });
});

describe('docs: extractSamples', () => {
  it('takes ts and typescript fences, marks `run`, and leaves other languages alone', () => {
    const markdown = ['# t', '```ts', 'const a = 1;', '```', '```sh', 'npm i', '```', '```typescript run', 'console.log(2);', '```', '```text', 'a--b', '```'].join('\n');
    expect(extractSamples(markdown)).to.deep.equal([
      { line: 2, code: 'const a = 1;', run: false },
      { line: 8, code: 'console.log(2);', run: true },
    ]);
  });

  it('takes indented fences (inside list items) and strips the indent', () => {
    expect(extractSamples(['1. step', '   ```ts', '   let x = 1;', '   ```'].join('\n'))).to.deep.equal([{ line: 2, code: 'let x = 1;', run: false }]);
  });
});
