import { expect } from 'chai';
import { parseTaskKey, taskKey } from '../../src/push/taskKey.js';

const TASK = 'b7db282d-2943-4f12-992f-77df3ad3ec71';

describe('taskKey', () => {
  it('lower-cases task UUIDs, so any spelling of one task is one key', () => {
    expect(taskKey(TASK.toUpperCase(), 'test')).to.equal(TASK);
    expect(parseTaskKey(TASK.toUpperCase())).to.equal(TASK);
  });

  it('refuses what is not a UUID: a TypeError naming the caller, or undefined for untrusted input', () => {
    for (const value of ['', 'x', `${TASK}0`, ` ${TASK}`, 42, null, undefined]) {
      expect(() => taskKey(value, 'urlFor'), String(value)).to.throw(TypeError, /^urlFor: /);
      expect(parseTaskKey(value), String(value)).to.equal(undefined);
    }
  });
});
