import { expect } from 'chai';
import { isTerminal, type GenerationEvent } from '../../src/index.js';
import { FIXTURE_TASK_UUID as TASK } from '../../src/testing/index.js';

describe('isTerminal', () => {
  const base = { taskUUID: TASK, taskType: 'videoInference', index: 0 };
  const cases: Array<[GenerationEvent, boolean]> = [
    [{ ...base, status: 'processing' }, false],
    [{ ...base, status: 'success', result: { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoUUID: 'v1' } }, true],
    [{ ...base, status: 'error', error: { code: 'timeoutProvider', message: 'late' } }, true],
  ];
  for (const [event, expected] of cases) {
    it(`is ${String(expected)} for ${event.status}`, () => {
      expect(isTerminal(event)).to.equal(expected);
    });
  }
});

/** True when A and B are the same type: `true satisfies Exactly<unknown, string>` does not compile. */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('SuccessItem', () => {
  it('types the result fields of every async task type, so none reads as unknown', () => {
    type Item = Extract<GenerationEvent, { status: 'success' }>['result'];
    const checks: Array<true> = [
      true satisfies Exactly<Item['mediaURL'], string | undefined>,
      true satisfies Exactly<Item['text'], string | undefined>,
      true satisfies Exactly<Item['NSFWContent'], boolean | undefined>,
      true satisfies Exactly<NonNullable<Item['outputs']>['files'], ReadonlyArray<{ readonly uuid?: string; readonly url?: string; readonly [field: string]: unknown }> | undefined>,
      true satisfies Exactly<Item['audioURL'], string | undefined>,
      true satisfies Exactly<Item['maskImageURL'], string | undefined>,
      true satisfies Exactly<Item['guideImageURL'], string | undefined>,
      true satisfies Exactly<Item['air'], string | undefined>,
    ];
    expect(checks.every(Boolean)).to.equal(true);
  });
});
