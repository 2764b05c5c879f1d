/**
 * Counters the simulator keeps for tests and benchmarks.
 *
 * @module
 */
import type { FaultKind } from './faults.js';

/** What the simulator has seen and done so far. */
export interface SimulatorStats {
  /** API requests (POST /v1), whatever became of them. */
  readonly requests: number;
  /** Inference tasks accepted (acknowledged or answered sync). */
  readonly tasks: number;
  /** getResponse tasks answered (one per task in a request, faults excluded). */
  readonly polls: number;
  /** Requests refused for a missing or wrong API key. */
  readonly authFailures: number;
  /** Tasks refused by validation (including duplicate taskUUIDs). */
  readonly validationErrors: number;
  /** Media files served. */
  readonly mediaRequests: number;
  /** Faults played, all kinds together. */
  readonly faultsInjected: number;
  /** Faults played, by kind. */
  readonly faults: Readonly<Partial<Record<FaultKind, number>>>;
}

/** Mutable counters behind {@link SimulatorStats}. */
export interface StatsCounter {
  requests: number;
  tasks: number;
  polls: number;
  authFailures: number;
  validationErrors: number;
  mediaRequests: number;
  faults: Partial<Record<FaultKind, number>>;
}

/** Fresh counters, all zero. */
export function createStatsCounter(): StatsCounter {
  return { requests: 0, tasks: 0, polls: 0, authFailures: 0, validationErrors: 0, mediaRequests: 0, faults: {} };
}

/** A frozen copy, safe to hand out. */
export function snapshotStats(counter: StatsCounter): SimulatorStats {
  const faults = { ...counter.faults };
  const faultsInjected = Object.values(faults).reduce((sum, count) => sum + (count ?? 0), 0);
  return Object.freeze({ ...counter, faults: Object.freeze(faults), faultsInjected });
}
