/**
 * runware-rx/angular: providers, the injectable client and signals for Angular 20+ apps that talk to
 * Runware through their own proxy (`createRunwareProxy` from `runware-rx/server`). See docs/guides/angular.md.
 *
 * @module
 */
export { injectRunwareClient, provideRunware, RUNWARE_CLIENT, withProxy, withWatchOptions } from './provideRunware.js';
export type { ProxyFeatureOptions, RunwareFeature } from './provideRunware.js';
export { RUNWARE_CONFIG } from './runwareConfig.js';
export type { RunwareConfig } from './runwareConfig.js';
export { injectTaskWatch } from './injectTaskWatch.js';
export type { TaskWatch, TaskWatchConnection, TaskWatchOptions, TaskWatchStatus } from './injectTaskWatch.js';
