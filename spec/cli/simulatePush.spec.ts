import { expect } from 'chai';
import { describePush, describeWebhookStats, pushOptions } from '../../src/cli/simulatePush.js';
import { UsageError } from '../../src/cli/usageError.js';

describe('cli simulate --push: flags and lines', () => {
  it('reads the fault flags into the simulator\'s webhooks options, defaults filled in', () => {
    expect(pushOptions({ push: true, 'drop-rate': '0.3', 'reorder-rate': '1', delay: '250', 'delay-rate': '0' })).to.deep.equal({ dropRate: 0.3, duplicateRate: 0, delayRate: 0, delay: 250, reorderRate: 1 });
    expect(pushOptions({ push: true })).to.deep.equal({ dropRate: 0, duplicateRate: 0, delayRate: 0, delay: 500, reorderRate: 0 });
    expect(pushOptions({})).to.equal(undefined);
  });

  it('refuses a fault flag without --push (it would be ignored) and a chance outside 0..1', () => {
    expect(() => pushOptions({ 'drop-rate': '0.3' })).to.throw(UsageError, '--drop-rate needs --push');
    expect(() => pushOptions({ delay: '100' })).to.throw(UsageError, '--delay needs --push');
    for (const bad of ['1.5', '-0.1', 'half', '', 'NaN']) expect(() => pushOptions({ push: true, 'duplicate-rate': bad }), bad).to.throw(UsageError, /--duplicate-rate must be a number from 0 to 1/);
    expect(() => pushOptions({ push: true, delay: '-5' })).to.throw(UsageError, /--delay must be a whole number/);
  });

  it('says which faults apply, and what was delivered', () => {
    expect(describePush({ dropRate: 0.3, duplicateRate: 0, delayRate: 0.125, delay: 500, reorderRate: 1 })).to.equal(
      "webhooks: a POST per finished generation to the task's webhookURL; dropped 30 %, duplicated 0 %, delayed 12.5 % by 500 ms, reordered 100 % of tasks\n",
    );
    const stats = { scheduled: 4, attempts: 5, delivered: 4, retried: 1, failed: 0, dropped: 1, duplicated: 1, delayed: 0, reordered: 0 };
    expect(describeWebhookStats(stats)).to.equal('webhooks: 4 planned, 4 delivered in 5 attempts (1 retried, 0 given up); 1 dropped, 1 duplicated, 0 delayed, 0 reordered\n');
  });
});
