/**
 * runware-rx/angular: providers, the injectable client and signals for Angular 20+ apps that talk to
 * Runware through their own proxy (`createRunwareProxy` from `runware-rx/server`). See docs/guides/angular.md.
 *
 * @module
 */
export { injectRunwareClient, provideRunware, RUNWARE_CLIENT, RUNWARE_CONFIG, withProxy, withWatchOptions } from './provideRunware.js';
export type { ProxyFeatureOptions, RunwareConfig, RunwareFeature } from './provideRunware.js';
export { injectTaskWatch } from './injectTaskWatch.js';
export type { TaskWatch, TaskWatchOptions, TaskWatchStatus } from './injectTaskWatch.js';
