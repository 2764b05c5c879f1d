import { expect } from 'chai';
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describeIssues } from '../../src/protocol/describeIssues.js';

function issuesOf(codec: t.Decoder<unknown, unknown>, value: unknown, root = 'body'): string[] {
  const result = codec.decode(value);
  if (!isLeft(result)) throw new Error('expected a failure');
  return describeIssues(result.left, root);
}

describe('describeIssues', () => {
  const Item = t.intersection([t.type({ taskUUID: t.string }), t.partial({ status: t.string, cost: t.union([t.number, t.null]) })], 'Item');

  it('says path, expectation and value, without the member indexes of intersections', () => {
    expect(issuesOf(t.type({ data: t.array(Item) }), { data: [{ status: 3 }] })).to.deep.equal([
      'data.0.taskUUID: expected string, got undefined',
      'data.0.status: expected string, got 3',
    ]);
  });

  it('reports a failing union once, as the union', () => {
    expect(issuesOf(Item, { taskUUID: 'u', cost: '0.1' })).to.deep.equal(['cost: expected (number | null), got "0.1"']);
  });

  it('names the root when the value itself is wrong, and lists at most five failures', () => {
    expect(issuesOf(t.type({ taskType: t.string }, 'Task'), 42, 'task')).to.deep.equal(['task: expected Task, got 42']);
    const Wide = t.type(Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => [key, t.string])));
    expect(issuesOf(Wide, {})).to.have.length(5);
  });
});
