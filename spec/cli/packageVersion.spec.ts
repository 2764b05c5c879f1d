import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { packageVersion } from '../../src/cli/packageVersion.js';

describe('cli packageVersion', () => {
  it("is the package.json's version", () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(packageVersion()).to.equal(manifest.version).and.match(/^\d+\.\d+\.\d+/);
  });
});
