/**
 * The client of `provideRunware`'s configuration. Loaded on the client's first use (see `lazyClient`),
 * so an app that only follows tasks by their event stream never downloads it.
 *
 * @module
 */
import { throwError } from 'rxjs';
import { createRunwareClient, type RunwareClient } from '../client/createRunwareClient.js';
import type { RunwareConfig } from './runwareConfig.js';

/**
 * The client for the config. On the server (SSR) its every request fails at once: a page rendered on
 * the server has no session to act for, and a pending request would keep the app from becoming stable.
 */
export function clientFor(config: RunwareConfig, onServer: boolean): RunwareClient {
  if (onServer) {
    return createRunwareClient({
      transport: () => throwError(() => new Error('runware-rx/angular: no Runware request during server-side rendering')),
      ...config.watchOptions,
      retries: 0,
    });
  }
  return createRunwareClient({ ...config.watchOptions, baseUrl: config.baseUrl, headers: config.headers, credentials: config.credentials });
}
