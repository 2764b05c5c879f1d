/**
 * Webhook delivery, as Runware does it: when a task carries `webhookURL`, each generation is POSTed
 * there as the flat task object as soon as it finishes (success or failure), and a delivery that is not
 * answered 2xx is retried on a doubling, jittered schedule (250 ms to 8 s). Faults lose, duplicate,
 * delay and reorder deliveries, so the safety net of a push-driven watch can be tested.
 *
 * Deliveries run on real timers from submission (the simulator's `later`), at the generation's finish
 * time on the simulator's clock; randomness comes from the simulator's own seeded stream.
 *
 * @module
 */
import { backoffDelay, type BackoffSchedule } from '../schedule/backoff.js';
import type { SimulatorSettings, WebhookOptions } from './options.js';
import type { Random } from './random.js';
import { renderTaskState } from './renderTask.js';
import type { Generation, StoredTask } from './taskStore.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------


/** Webhook counters of a running simulator. */
export interface WebhookStats {
  /** Deliveries planned: one per finished generation of a task with `webhookURL`. */
  readonly scheduled: number;
  /** POST attempts made, retries and duplicates included. */
  readonly attempts: number;
  /** Attempts answered 2xx. */
  readonly delivered: number;
  /** Attempts retried after a non-2xx answer, a network failure or a timeout. */
  readonly retried: number;
  /** Deliveries given up after `maxAttempts`. */
  readonly failed: number;
  /** Deliveries lost, duplicated, delayed or reordered (sent in reverse) by a fault. */
  readonly dropped: number;
  readonly duplicated: number;
  readonly delayed: number;
  readonly reordered: number;
}

/** The webhook side of a running simulator. */
export interface WebhookDelivery {
  /** Plans the deliveries of a just-submitted task (nothing when it has no `webhookURL`). */
  readonly schedule: (task: StoredTask) => void;
  readonly stats: () => WebhookStats;
  /** Aborts attempts in flight and stops retrying (pending timers belong to `later`, cleared by its owner). */
  readonly close: () => void;
}

/** What delivery needs from the simulator. */
export interface WebhookContext {
  readonly settings: SimulatorSettings;
  /** The simulator's own stream for webhooks, so webhook faults do not shift task fates. */
  readonly random: Random;
  /** The simulator's real-time timer, cancelled when it closes. */
  readonly later: (ms: number, callback: () => void) => void;
  /** `http://host:port` of the simulator, for media URLs (known once it listens). */
  readonly origin: () => string;
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

type WebhookSettings = Required<WebhookOptions>;

/** Applies defaults; throws a RangeError naming the first bad option. */
export function resolveWebhookOptions(options: WebhookOptions = {}): WebhookSettings {
  const settings: WebhookSettings = {
    dropRate: options.dropRate ?? 0,
    duplicateRate: options.duplicateRate ?? 0,
    delayRate: options.delayRate ?? 0,
    delay: options.delay ?? 500,
    reorderRate: options.reorderRate ?? 0,
    maxAttempts: options.maxAttempts ?? 10,
    retryInterval: options.retryInterval ?? 250,
    timeout: options.timeout ?? 5_000,
  };
  for (const name of ['dropRate', 'duplicateRate', 'delayRate', 'reorderRate'] as const) check(name, settings[name], 0, 1);
  for (const name of ['delay', 'retryInterval', 'timeout'] as const) check(name, settings[name], 0, 3_600_000);
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1) throw new RangeError('startSimulator: webhooks.maxAttempts must be a whole number >= 1');
  return settings;
}

function check(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`startSimulator: webhooks.${name} must be a number from ${min} to ${max}, got ${String(value)}`);
  }
}

// -------------------------------------------------------------------------------------
// delivery
// -------------------------------------------------------------------------------------

/** Starts the webhook side of a simulator. */
export function createWebhookDelivery(options: WebhookOptions | undefined, context: WebhookContext): WebhookDelivery {
  const settings = resolveWebhookOptions(options);
  const { random, later } = context;
  const schedule: BackoffSchedule = { interval: settings.retryInterval, multiplier: 2, maxInterval: 32 * settings.retryInterval, jitter: 0.2 };
  const stats = { scheduled: 0, attempts: 0, delivered: 0, retried: 0, failed: 0, dropped: 0, duplicated: 0, delayed: 0, reordered: 0 };
  const closing = new AbortController();

  /** One POST; retried on its own schedule. Resolves when this first attempt has its outcome. */
  const attempt = (url: string, body: string, number: number): Promise<void> => {
    if (closing.signal.aborted) return Promise.resolve();
    stats.attempts += 1;
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, redirect: 'manual', signal: AbortSignal.any([closing.signal, AbortSignal.timeout(settings.timeout)]) })
      .then(async (response) => {
        await response.body?.cancel();
        return response.status >= 200 && response.status < 300;
      })
      .catch(() => false)
      .then((ok) => {
        if (closing.signal.aborted) return;
        if (ok) stats.delivered += 1;
        else if (number >= settings.maxAttempts) stats.failed += 1;
        else {
          stats.retried += 1;
          later(backoffDelay(number, schedule, random), () => void attempt(url, body, number + 1));
        }
      });
  };

  /** The flat item of one finished generation: the task rendered alone, past its finish. */
  const render = (task: StoredTask, generation: Generation, finish: number): string => {
    const parts = renderTaskState({ ...task, generations: [generation] }, finish + 1, context.settings, context.origin());
    return JSON.stringify(parts.data[0] ?? parts.errors[0]);
  };

  return {
    schedule(task) {
      const url = task.webhookURL;
      if (url === undefined) return;
      const now = context.settings.now();
      const finishes = task.generations.map((generation) => task.submittedAt + generation.duration / context.settings.timeScale);
      const lastFinish = Math.max(...finishes);
      // Every draw made for every delivery, so one fault rate does not shift the others' choices.
      const draw = (rate: number): boolean => random() < rate;
      const reorder = draw(settings.reorderRate) && task.generations.length > 1;
      const planned: Array<{ readonly generation: Generation; readonly finish: number; readonly copies: number; readonly wait: number }> = [];
      task.generations.forEach((generation, index) => {
        stats.scheduled += 1;
        const drop = draw(settings.dropRate);
        const duplicate = draw(settings.duplicateRate);
        const delay = draw(settings.delayRate);
        if (drop) {
          stats.dropped += 1;
          return;
        }
        if (duplicate) stats.duplicated += 1;
        if (delay) stats.delayed += 1;
        const finish = finishes[index] ?? lastFinish;
        planned.push({ generation, finish, copies: duplicate ? 2 : 1, wait: Math.max(0, finish - now) + (delay ? settings.delay : 0) });
      });
      if (!reorder) {
        for (const { generation, finish, copies, wait } of planned) {
          later(wait, () => {
            const body = render(task, generation, finish);
            for (let copy = 0; copy < copies; copy += 1) void attempt(url, body, 1);
          });
        }
        return;
      }
      // Reordered: held until the last generation finished, then sent last first, each once the one
      // before it was answered, so they arrive in reverse order whatever the network does.
      stats.reordered += planned.length;
      later(Math.max(0, lastFinish - now) + settings.delay, () => {
        const sends = [...planned].reverse().flatMap(({ generation, finish, copies }) => Array.from({ length: copies }, () => render(task, generation, finish)));
        void sends.reduce<Promise<void>>((previous, body) => previous.then(() => attempt(url, body, 1)), Promise.resolve());
      });
    },
    stats: () => Object.freeze({ ...stats }),
    close: () => closing.abort(),
  };
}
