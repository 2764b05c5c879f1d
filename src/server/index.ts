/**
 * runware-rx/server: Runware's webhooks as a push source (Node only). See docs/guides/webhooks.md.
 *
 * @module
 */

/* Receiver */
export { createWebhookReceiver } from './createWebhookReceiver.js';
export type { WebhookReceiver, WebhookReceiverOptions, WebhookReceiverStats } from './createWebhookReceiver.js';

/* Hub */
export { createMemoryHub } from '../push/memoryHub.js';
export type { MemoryHubOptions } from '../push/memoryHub.js';
export type { PushHub } from '../push/PushHub.js';
export type { PushSource } from '../push/PushSource.js';

/* Task store */
export { createFileTaskStore } from './createFileTaskStore.js';
export type { FileTaskStore, FileTaskStoreOptions } from './createFileTaskStore.js';
export type { TaskStore } from '../store/TaskStore.js';
export type { TaskStoreOptions } from '../store/createMemoryTaskStore.js';

/* Browser proxy */
export { createRunwareProxy } from './createRunwareProxy.js';
export type { ProxyRequest, RunwareProxy, RunwareProxyOptions } from './createRunwareProxy.js';
export type { ProxyTask } from './proxyPolicy.js';
export { PROXY_REFUSALS } from './proxyRefusal.js';
export type { ProxyRefusalReason } from './proxyRefusal.js';
export type { ServerTaskWatch } from './sseTaskEvents.js';

/* Logging */
export type { ServerEvent, ServerEventHandler } from './serverEvent.js';
