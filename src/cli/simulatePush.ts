/**
 * The push side of `runware-rx simulate --push`: the webhook fault flags, read into the simulator's
 * `webhooks` options, and the lines that say what the simulator delivered.
 *
 * @module
 */
import type { WebhookOptions, WebhookStats } from '../simulator/index.js';
import { integerOption, rateOption, UsageError, type ParsedOptions } from './usageError.js';

/** The flags of `simulate --push`, for parseArgs. */
export const PUSH_FLAGS = {
  push: { type: 'boolean' },
  'drop-rate': { type: 'string' },
  'duplicate-rate': { type: 'string' },
  'delay-rate': { type: 'string' },
  delay: { type: 'string' },
  'reorder-rate': { type: 'string' },
} as const;

/** Their help lines. */
export const PUSH_HELP = `  --push           apply these webhook faults (chances from 0 to 1, default 0) and print the
                   webhook counts when stopped; without --push, every task submitted with a
                   webhookURL still gets a POST per finished generation, faultless:
    --drop-rate R        lost (a receiver down through every retry)
    --duplicate-rate R   sent twice
    --delay-rate R       held back --delay MS longer (default 500 ms)
    --reorder-rate R     per task: held until its last generation is done, then sent last first
`;

/**
 * The simulator's `webhooks` options the flags ask for; `undefined` without `--push`, where a fault
 * flag is a usage error (it would be silently ignored).
 */
export function pushOptions(values: ParsedOptions): WebhookOptions | undefined {
  if (values['push'] !== true) {
    const given = Object.keys(PUSH_FLAGS).find((flag) => flag !== 'push' && values[flag] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} needs --push`);
    return undefined;
  }
  return {
    dropRate: rateOption(values, 'drop-rate') ?? 0,
    duplicateRate: rateOption(values, 'duplicate-rate') ?? 0,
    delayRate: rateOption(values, 'delay-rate') ?? 0,
    delay: integerOption(values, 'delay', 500, 0, 3_600_000),
    reorderRate: rateOption(values, 'reorder-rate') ?? 0,
  };
}

/** The line that says which faults apply. */
export function describePush(options: WebhookOptions): string {
  const percent = (rate: number | undefined): string => `${Math.round((rate ?? 0) * 1000) / 10} %`;
  return `webhooks: a POST per finished generation to the task's webhookURL; dropped ${percent(options.dropRate)}, duplicated ${percent(options.duplicateRate)}, delayed ${percent(options.delayRate)} by ${options.delay ?? 500} ms, reordered ${percent(options.reorderRate)} of tasks\n`;
}

/** The line that says what was delivered. */
export function describeWebhookStats(stats: WebhookStats): string {
  return `webhooks: ${stats.scheduled} planned, ${stats.delivered} delivered in ${stats.attempts} attempts (${stats.retried} retried, ${stats.failed} given up); ${stats.dropped} dropped, ${stats.duplicated} duplicated, ${stats.delayed} delayed, ${stats.reordered} reordered\n`;
}
