/**
 * Where the CLI's help sends people to read more. The docs are not in the installed package (its
 * files are dist/, src/ and the changelog), so help points at the repository, which works from a
 * terminal, a registry page and a clone alike.
 *
 * @module
 */

/** The repository's page: the README, with links to every guide. Keep in step with package.json `homepage`. */
export const DOCS_URL = 'https://github.com/runware-rx/runware-rx#readme';

/** The page of one file of the repository's docs/ folder, on the default branch. */
export function docsPage(path: `docs/${string}.md`): string {
  return `https://github.com/runware-rx/runware-rx/blob/main/${path}`;
}
