/**
 * runware-rx/server: Runware's webhooks as a push source (Node only). See docs/guides/webhooks.md.
 *
 * @module
 */

/* Receiver */
export { createWebhookReceiver } from './createWebhookReceiver.js';
export type { WebhookReceiver, WebhookReceiverOptions, WebhookReceiverStats } from './createWebhookReceiver.js';

/* Hub */
export { createMemoryHub } from './memoryHub.js';
export type { MemoryHubOptions } from './memoryHub.js';
export type { PushHub } from './PushHub.js';
export type { PushSource } from '../push/PushSource.js';
