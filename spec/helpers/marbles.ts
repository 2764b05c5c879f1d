import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';

/** A TestScheduler asserting with chai deep equality; errors compare by name and message, not stack. */
export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(stripStacks(actual)).to.deep.equal(stripStacks(expected));
  });
}

function stripStacks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripStacks);
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, stripStacks(inner)]));
  }
  return value;
}
