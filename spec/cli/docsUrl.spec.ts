import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { DOCS_URL, docsPage } from '../../src/cli/docsUrl.js';
import { MAIN_HELP } from '../../src/cli/runCli.js';
import { SIMULATE_HELP } from '../../src/cli/simulateCommand.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { homepage: string; repository: { url: string } };

describe('cli docsUrl', () => {
  it('is the package homepage, in the repository package.json names', () => {
    expect(DOCS_URL).to.equal(manifest.homepage);
    expect(manifest.repository.url).to.equal(`git+${DOCS_URL.replace(/#readme$/, '')}.git`);
  });

  it('links docs pages of the repository, and every docs link in the help names a file that exists', () => {
    expect(docsPage('docs/simulator.md')).to.equal(`${DOCS_URL.replace(/#readme$/, '')}/blob/main/docs/simulator.md`);
    const linked = [...`${MAIN_HELP}${SIMULATE_HELP}`.matchAll(/\/blob\/main\/(\S+)/g)].map((match) => match[1] ?? '');
    expect(linked).to.deep.equal(['docs/simulator.md']);
    for (const path of linked) expect(existsSync(path), path).to.equal(true);
  });

  it('README links every docs file by its absolute repository URL (they work on the registry page), to files that exist', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).to.not.match(/\]\((?!https?:|#)[^)]*\)/); // no relative link: the package page cannot resolve it
    const pages = [...readme.matchAll(/\]\((https:\/\/github\.com\/runware-rx\/runware-rx\/blob\/main\/[^)#]+)/g)].map((match) => match[1] ?? '');
    expect(pages.length).to.be.greaterThan(5);
    for (const page of pages) {
      const path = page.replace(/^.*\/blob\/main\//, '');
      expect(docsPage(path as `docs/${string}.md`), page).to.equal(page);
      expect(existsSync(path), path).to.equal(true);
    }
  });
});
