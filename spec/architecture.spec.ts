/**
 * The layers of docs/architecture.md, checked against the imports of every file under src/: no module
 * imports a layer its row does not name, and no src file imports itself through others.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Layer {
  readonly name: string;
  /** `src/x.ts` for a file, `src/x/` for a folder and everything under it. */
  readonly paths: ReadonlyArray<string>;
  readonly mayImport: ReadonlyArray<string>;
}

/** File -> the src files it imports (import, export ... from, import(), import type), as src-relative paths. */
type ImportGraph = ReadonlyMap<string, ReadonlyArray<string>>;

/** The rows of the table under "## Layers" in docs/architecture.md, in order. */
function readLayers(markdown: string): Layer[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Layers')) ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Layer') && !line.startsWith('| ---'))
    .map((line) => {
      const [name = '', files = '', may = ''] = line.split('|').slice(1, -1).map((cell) => cell.trim());
      return {
        name,
        paths: [...files.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''),
        mayImport: may === 'none' ? [] : may.split(',').map((entry) => entry.trim()),
      };
    });
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = posix.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importGraph(files: ReadonlyArray<string>): ImportGraph {
  return new Map(
    files.map((file) => {
      const imported = ts
        .preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true)
        .importedFiles.map((reference) => reference.fileName)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => posix.normalize(posix.join(posix.dirname(file), specifier.replace(/\.js$/, '.ts'))));
      return [file, [...new Set(imported)]];
    }),
  );
}

function layerOf(file: string, layers: ReadonlyArray<Layer>): Layer | undefined {
  return layers.find((layer) => layer.paths.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path)));
}

/** Every import the table forbids, as `from -> to (layer -> layer)`. */
function upwardImports(graph: ImportGraph, layers: ReadonlyArray<Layer>): string[] {
  const found: string[] = [];
  for (const [file, imports] of graph) {
    const from = layerOf(file, layers);
    for (const target of imports) {
      const to = layerOf(target, layers);
      if (from === undefined || to === undefined || to === from || from.mayImport.includes(to.name)) continue;
      found.push(`${file} -> ${target} (${from.name} may not import ${to.name})`);
    }
  }
  return found;
}

/** The import cycles between files (strongly connected components of two or more, or a self-import), each sorted. */
function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components, visiting the files in the graph's order.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe('architecture (docs/architecture.md)', () => {
  const layers = readLayers(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));
  const files = sourceFiles('src');
  const graph = importGraph(files);

  it('reads the layer table, lowest first, each row allowing only rows before it (lower layers)', () => {
    expect(layers.map((layer) => layer.name)).to.include.members(['vocabulary', 'protocol', 'schedule', 'transport', 'watch', 'client', 'simulator', 'testing', 'cli', 'package']);
    layers.forEach((layer, position) => {
      const lower = layers.slice(0, position).map((earlier) => earlier.name);
      for (const name of layer.mayImport) expect(lower, `${layer.name} may import ${name}`).to.include(name);
    });
  });

  it('puts every file under src/ in exactly one layer', () => {
    const homeless = files.filter((file) => layerOf(file, layers) === undefined);
    const doubled = files.filter((file) => layers.filter((layer) => layerOf(file, [layer]) !== undefined).length > 1);
    expect({ homeless, doubled }).to.deep.equal({ homeless: [], doubled: [] });
  });

  it('finds no import of a layer a module may not import', () => {
    expect(files.length).to.be.above(50);
    expect([...graph.values()].flat().length).to.be.above(100); // the imports were read
    expect(upwardImports(graph, layers)).to.deep.equal([]);
  });

  it('finds no import cycle between src files', () => {
    expect(importCycles(graph)).to.deep.equal([]);
  });

  it('keeps src/ itself to the package entry: every other file is in a folder', () => {
    expect(readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name)).to.deep.equal(['index.ts']);
  });

  it('keeps the watch\'s parts apart: the watch (its settings, loop and plan) runs no part\'s code, and no part another\'s', () => {
    const parts = ['src/watch/pushSteps.ts', 'src/watch/sharedSteps.ts', 'src/cadence/watchCadence.ts'];
    // Code, not types: `import type` brings no part into a bundle.
    const valueImports = (file: string): string[] =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:import|export) (?!type )[^;]*?from '(\.[^']+)'/gm)].map((match) => posix.normalize(posix.join(posix.dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts'))));
    const reached = (from: string): Set<string> => {
      const seen = new Set<string>();
      const visit = (file: string): void => {
        for (const target of valueImports(file)) if (!seen.has(target)) (seen.add(target), visit(target));
      };
      visit(from);
      return seen;
    };
    // A part comes with the option's value (`createPushSource`, `createSharedHub`, a receiver, a Redis hub), never with `watchTask`.
    for (const core of ['src/watch/watchTask.ts', 'src/watch/settings.ts', 'src/watch/watchLoop.ts', 'src/watch/plan.ts']) expect(parts.filter((part) => reached(core).has(part)), core).to.deep.equal([]);
    for (const part of parts) expect(parts.filter((other) => other !== part && reached(part).has(other)), part).to.deep.equal([]);
  });

  it('would report an upward import and a cycle (the checks can fail)', () => {
    const made: ImportGraph = new Map([
      ['src/protocol/a.ts', ['src/client/b.ts']],
      ['src/client/b.ts', ['src/client/c.ts']],
      ['src/client/c.ts', ['src/client/b.ts']],
      ['src/schedule/d.ts', ['src/schedule/d.ts']],
    ]);
    expect(upwardImports(made, layers)).to.deep.equal(['src/protocol/a.ts -> src/client/b.ts (protocol may not import client)']);
    expect(importCycles(made)).to.deep.equal([['src/client/b.ts', 'src/client/c.ts'], ['src/schedule/d.ts']]);
  });

  it('reads every kind of import: static, type-only, re-export and dynamic', () => {
    const text = "import type { A } from './a.js';\nexport { B } from '../b.js';\nconst c = await import('./c.js');\nimport 'rxjs';";
    const found = ts.preProcessFile(text, true, true).importedFiles.map((reference) => reference.fileName);
    expect(found).to.deep.equal(['./a.js', '../b.js', './c.js', 'rxjs']);
  });
});
