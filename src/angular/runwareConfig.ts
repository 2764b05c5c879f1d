/**
 * The app-wide configuration of runware-rx in Angular, as `provideRunware`'s features resolved it.
 *
 * @module
 */
import { InjectionToken } from '@angular/core';
import type { ClientWatchOptions } from '../watch/options.js';
import type { FetchTransportOptions } from '../transport/fetchTransport.js';

/** What `provideRunware`'s features set. */
export interface RunwareConfig {
  /** The proxy's URL, relative to the page or absolute. */
  readonly baseUrl: string;
  /** Extra headers for the proxy (a session token, a CSRF header), or a function giving them per request. */
  readonly headers?: FetchTransportOptions['headers'];
  /** Whether requests send the page's cookies. @defaultValue `'same-origin'` */
  readonly credentials?: FetchTransportOptions['credentials'];
  /** Follow tasks through the proxy's event stream (true) or by polling it (false). @defaultValue true */
  readonly stream: boolean;
  /** Watch defaults (schedule, deadline, retries) of every watch. */
  readonly watchOptions: ClientWatchOptions;
}

/**
 * The app's configuration, as `provideRunware` resolved it.
 *
 * @example
 * ```ts
 * import { inject } from '@angular/core';
 * import { RUNWARE_CONFIG } from 'runware-rx/angular';
 *
 * export class ProxyInfo {
 *   readonly baseUrl = inject(RUNWARE_CONFIG).baseUrl; // '/api/runware'
 * }
 * ```
 */
export const RUNWARE_CONFIG = new InjectionToken<RunwareConfig>('RUNWARE_CONFIG');
