/**
 * `provideRunware(withProxy('/api/runware'))`: the app-wide configuration of runware-rx in Angular, and
 * the one client every component injects. In a browser the client talks to the app's proxy
 * (`createRunwareProxy` from `runware-rx/server`) and holds no key; during server-side rendering it
 * sends nothing.
 *
 * @module
 */
import { type EnvironmentProviders, inject, InjectionToken, makeEnvironmentProviders, PLATFORM_ID } from '@angular/core';
import { throwError } from 'rxjs';
import { createRunwareClient, type RunwareClient } from '../client/createRunwareClient.js';
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

/**
 * The app's client: `inject(RUNWARE_CLIENT)`, or {@link injectRunwareClient}.
 *
 * @example
 * ```ts
 * import { inject } from '@angular/core';
 * import { RUNWARE_CLIENT } from 'runware-rx/angular';
 *
 * export class Snapshot {
 *   private readonly runware = inject(RUNWARE_CLIENT);
 *   load(taskUUID: string) {
 *     return this.runware.getResponse(taskUUID);
 *   }
 * }
 * ```
 */
export const RUNWARE_CLIENT = new InjectionToken<RunwareClient>('RUNWARE_CLIENT');

/** One feature of {@link provideRunware}. */
export interface RunwareFeature {
  /** The configuration with this feature's settings applied; features apply in the order given. */
  readonly apply: (config: RunwareConfig) => RunwareConfig;
}

/** Options of {@link withProxy}. */
export interface ProxyFeatureOptions {
  /** Extra headers for the proxy (a session token, a CSRF header), or a function giving them per request. */
  readonly headers?: FetchTransportOptions['headers'];
  /** Whether the browser sends the page's cookies to the proxy. @defaultValue 'same-origin' */
  readonly credentials?: FetchTransportOptions['credentials'];
  /** `false` to poll the proxy instead of following its event stream. @defaultValue true */
  readonly stream?: boolean | undefined;
}

/**
 * Talk to the app's proxy at `baseUrl` (where `createRunwareProxy` is mounted), with no key.
 *
 * @example
 * ```ts
 * import { provideRunware, withProxy } from 'runware-rx/angular';
 *
 * // bootstrapApplication(AppComponent, { providers: [...] }):
 * export const providers = [provideRunware(withProxy('/api/runware', { headers: () => ({ 'X-CSRF-Token': 'from-a-cookie' }) }))];
 * ```
 */
export function withProxy(baseUrl: string, options: ProxyFeatureOptions = {}): RunwareFeature {
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new TypeError('withProxy: baseUrl must be the URL of your proxy, such as /api/runware');
  return {
    apply: (config) => ({
      ...config,
      baseUrl,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      stream: options.stream ?? true,
    }),
  };
}

/**
 * Watch defaults for every watch of the app.
 *
 * @example
 * ```ts
 * import { provideRunware, withProxy, withWatchOptions } from 'runware-rx/angular';
 *
 * export const providers = [provideRunware(withProxy('/api/runware'), withWatchOptions({ timeout: 30 * 60_000 }))];
 * ```
 */
export function withWatchOptions(watchOptions: ClientWatchOptions): RunwareFeature {
  return { apply: (config) => ({ ...config, watchOptions: { ...config.watchOptions, ...watchOptions } }) };
}

/**
 * The providers of runware-rx for `bootstrapApplication` (or a route's providers): the configuration
 * and the client. Without `withProxy` the proxy is expected at `/api/runware`.
 *
 * @example
 * ```ts
 * import { provideRunware, withProxy } from 'runware-rx/angular';
 *
 * // main.ts: bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection(), provideRunware(withProxy('/api/runware'))] });
 * export const providers = [provideRunware(withProxy('/api/runware'))];
 * ```
 */
export function provideRunware(...features: readonly RunwareFeature[]): EnvironmentProviders {
  const config = features.reduce<RunwareConfig>((current, feature) => feature.apply(current), { baseUrl: '/api/runware', stream: true, watchOptions: {} });
  return makeEnvironmentProviders([
    { provide: RUNWARE_CONFIG, useValue: config },
    { provide: RUNWARE_CLIENT, useFactory: () => clientFor(config, inject(PLATFORM_ID) === 'server') },
  ]);
}

/**
 * The app's client, from an injection context (a constructor, a field initializer).
 *
 * @example
 * ```ts
 * import { injectRunwareClient } from 'runware-rx/angular';
 *
 * export class GenerateButton {
 *   private readonly runware = injectRunwareClient();
 *   generate(positivePrompt: string) {
 *     return this.runware.submit({ taskType: 'imageInference', model: 'runware:101@1', positivePrompt });
 *   }
 * }
 * ```
 */
export function injectRunwareClient(): RunwareClient {
  return inject(RUNWARE_CLIENT);
}

/**
 * The client for the config. On the server (SSR) its every request fails at once: a page rendered on
 * the server has no session to act for, and a pending request would keep the app from becoming stable.
 */
function clientFor(config: RunwareConfig, onServer: boolean): RunwareClient {
  if (onServer) {
    return createRunwareClient({
      transport: () => throwError(() => new Error('runware-rx/angular: no Runware request during server-side rendering')),
      ...config.watchOptions,
      retries: 0,
    });
  }
  return createRunwareClient({ ...config.watchOptions, baseUrl: config.baseUrl, headers: config.headers, credentials: config.credentials });
}
