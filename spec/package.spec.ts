/**
 * The published package: what `npm pack` would ship, and the manifest fields users and bundlers rely on.
 * Needs dist/ (npm test builds first).
 */
import { expect } from 'chai';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

interface Manifest {
  readonly exports: Record<string, string | { types?: string; default?: string }>;
  readonly sideEffects: boolean;
  readonly peerDependencies?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly type: string;
  readonly browser?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;

describe('package', function () {
  this.timeout(60_000);
  let files: string[] = [];

  before(() => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const output = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const [report] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
    files = (report?.files ?? []).map((file) => file.path);
  });

  it('ships the built code, its sources for source maps, and the docs users read, nothing else', () => {
    const outside = files.filter((path) => !/^(dist|src)\//.test(path) && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(path));
    expect(outside).to.deep.equal([]);
    expect(files.filter((path) => /(^|\/)(spec|bench|examples|docs|scripts)\/|\.spec\.|\.samples|\.artifacts/.test(path))).to.deep.equal([]);
    expect(files).to.include.members(['dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'CHANGELOG.md']);
  });

  it('has an exports map with types for ., ./testing, ./simulator, ./server and ./redis, each pointing into the package', () => {
    for (const subpath of ['.', './testing', './simulator', './server', './redis']) {
      const target = manifest.exports[subpath];
      expect(target, subpath).to.be.an('object');
      const { types, default: code } = target as { types?: string; default?: string };
      expect(types, subpath).to.match(/^\.\/dist\/.+\.d\.ts$/);
      expect(code, subpath).to.match(/^\.\/dist\/.+\.js$/);
      if (existsSync(code!.replace('./', ''))) expect(files, subpath).to.include.members([types!.slice(2), code!.slice(2)]);
    }
  });

  it("gives browser bundles the browser form of each runtime's piece (its browser field), and every other bundle the full one", async () => {
    const forms = Object.entries(manifest.browser ?? {});
    expect(forms.map(([full]) => full)).to.deep.equal(['bodyChunks', 'environmentApiKey', 'followRedirect', 'platformFetch'].map((name) => `./dist/transport/${name}.js`));
    for (const [full, browser] of forms) {
      expect(browser).to.equal(full.replace(/\.js$/, '.browser.js'));
      expect(files).to.include.members([full.slice(2), browser.slice(2)]);
      const [fullModule, browserModule] = (await Promise.all([import(`../${full.slice(2)}`), import(`../${browser.slice(2)}`)])) as Array<Record<string, unknown>>;
      expect(Object.keys(browserModule ?? {}).sort(), browser).to.deep.equal(Object.keys(fullModule ?? {}).filter((name) => typeof fullModule?.[name] === 'function').sort());
    }
    const bundled = async (platform: 'browser' | 'node'): Promise<string[]> => {
      const result = await build({
        stdin: { contents: "export { watchTask } from './dist/index.js';", resolveDir: process.cwd(), loader: 'js' },
        bundle: true,
        write: false,
        format: 'esm',
        platform,
        external: ['rxjs', 'rxjs/*', 'io-ts', 'fp-ts', 'fp-ts/*', 'cross-fetch'],
        metafile: true,
        logLevel: 'error',
      });
      return Object.keys(result.metafile.inputs).filter((path) => forms.some(([full]) => path === full.slice(2).replace(/\.js$/, '.browser.js') || path === full.slice(2)));
    };
    expect((await bundled('browser')).sort()).to.deep.equal(forms.map(([, browser]) => browser.slice(2)).sort());
    // A full form may build on its browser form (bodyChunks reads the WHATWG stream as a browser does).
    expect(await bundled('node')).to.include.members(forms.map(([full]) => full.slice(2)));
  });

  it('is ESM, free of side effects, and takes rxjs as a peer, never as a dependency', () => {
    expect(manifest.type).to.equal('module');
    expect(manifest.sideEffects).to.equal(false);
    expect(manifest.peerDependencies).to.have.property('rxjs');
    expect(manifest.dependencies ?? {}).to.not.have.property('rxjs');
  });
});
