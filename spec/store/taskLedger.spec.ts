import { expect } from 'chai';
import { ledgerEntries, ledgerSize, TaskLedger } from '../../src/store/taskLedger.js';
import type { TaskStoreEntry } from '../../src/store/taskStoreEntry.js';

const task = (taskUUID: string, numberResults = 1): TaskStoreEntry => ({ kind: 'task', task: { taskUUID, taskType: 'imageInference', numberResults, fingerprint: 'f', submittedAt: 0 } });
const delivery = (taskUUID: string, index: number): TaskStoreEntry => ({ kind: 'delivery', event: { status: 'error', taskUUID, taskType: 'imageInference', index, error: { code: 'c', message: 'm' } } });
const limits = { retention: 100, maxTasks: Infinity, maxLearned: 3 };

describe('TaskLedger', () => {
  it('folds its compacted entries back into the same state', () => {
    const ledger = new TaskLedger(limits);
    const entries: TaskStoreEntry[] = [task('a', 2), { kind: 'ack', taskUUID: 'a' }, delivery('a', 1), task('b'), { kind: 'end', taskUUID: 'b', at: 5 }, { kind: 'learned', durations: [{ key: 'k', from: 1, to: 2, origin: 'o' }] }];
    for (const entry of entries) ledger.apply(entry, 0);
    const copy = new TaskLedger(limits);
    for (const entry of ledgerEntries(ledger)) copy.apply(entry, 0);
    expect([copy.task('a'), copy.task('b'), copy.learnedSince(undefined)]).to.deep.equal([ledger.task('a'), ledger.task('b'), ledger.learnedSince(undefined)]);
    expect(ledgerSize(ledger)).to.equal(ledgerEntries(ledger).length);
  });

  it('drops ended tasks in the order they ended, once their retention is over, and never an unfinished one', () => {
    const ledger = new TaskLedger(limits);
    for (const entry of [task('a'), task('b'), task('c'), { kind: 'end', taskUUID: 'a', at: 10 } as const, { kind: 'end', taskUUID: 'b', at: 50 } as const]) ledger.apply(entry, 0);
    ledger.prune(109);
    expect([ledger.task('a'), ledger.task('b')].map((record) => record?.taskUUID)).to.deep.equal(['a', 'b']);
    ledger.prune(110);
    expect([ledger.task('a'), ledger.task('b'), ledger.task('c')].map((record) => record?.taskUUID)).to.deep.equal([undefined, 'b', 'c']);
    ledger.prune(1e9);
    expect(ledger.unfinished().map((record) => record.taskUUID)).to.deep.equal(['c']);
  });

  it('keeps the newest learned durations, and a cursor still reads on after older ones are dropped', () => {
    const ledger = new TaskLedger(limits);
    const learned = (to: number): TaskStoreEntry => ({ kind: 'learned', durations: [{ key: 'k', from: 0, to, origin: 'o' }] });
    ledger.apply(learned(1), 0);
    const { cursor } = ledger.learnedSince(undefined);
    for (const to of [2, 3, 4, 5]) ledger.apply(learned(to), 0);
    expect(ledger.learnedSince(undefined).durations.map((duration) => duration.to)).to.deep.equal([3, 4, 5]);
    expect(ledger.learnedSince(cursor).durations.map((duration) => duration.to)).to.deep.equal([3, 4, 5]);
    expect(ledger.learnedSince(ledger.learnedSince(cursor).cursor).durations).to.deep.equal([]);
  });
});
