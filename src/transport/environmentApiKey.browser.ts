/**
 * `environmentApiKey` as browser bundles get it (package.json's `browser` field maps
 * `dist/transport/environmentApiKey.js` here): a page never needs a key and never reads one, whatever its
 * bundler defines as `process`.
 *
 * @module
 */
import type { environmentApiKey as environmentApiKeyElsewhere } from './environmentApiKey.js';

/** Always `undefined`: a browser talks to the app's proxy, which adds the key. */
export const environmentApiKey: typeof environmentApiKeyElsewhere = () => undefined;
