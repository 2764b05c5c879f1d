/**
 * runware-rx/redis: the push hub and the polling lease on Redis, for several processes behind a load
 * balancer (Node only; needs the `redis` package). See docs/guides/scaling.md.
 *
 * @module
 */

/* Hub */
export { createRedisHub } from './createRedisHub.js';
export type { RedisHub, RedisHubOptions } from './createRedisHub.js';
export type { RedisConnectionOptions } from './redisConnection.js';
export type { BackoffSchedule } from '../schedule/backoff.js';
export type { SharedHub } from '../push/SharedHub.js';

/* Polling lease */
export { createPollLease } from './createPollLease.js';
export type { PollLease, PollLeaseOptions } from './createPollLease.js';

/* Task store */
export { createRedisTaskStore } from './createRedisTaskStore.js';
export type { RedisTaskStore, RedisTaskStoreOptions } from './createRedisTaskStore.js';
