import { expect } from 'chai';
import { readTaskStoreEntry } from '../../src/store/taskStoreEntry.js';

describe('readTaskStoreEntry', () => {
  it('reads every kind of entry as it was written', () => {
    const entries = [
      { kind: 'task', task: { taskUUID: 'a', taskType: 'videoInference', model: 'm', numberResults: 2, cadenceKey: 'k', fingerprint: 'f', submittedAt: 1 } },
      { kind: 'ack', taskUUID: 'a' },
      { kind: 'delivery', event: { status: 'success', taskUUID: 'a', taskType: 'videoInference', index: 0, result: { videoURL: 'u', extra: [1] } } },
      { kind: 'delivery', event: { status: 'error', taskUUID: 'a', index: 1, error: { code: 'c', message: 'm', more: true } } },
      { kind: 'end', taskUUID: 'a', at: 3 },
      { kind: 'learned', durations: [{ key: 'k', from: 1, to: 2, origin: 'o' }] },
    ];
    for (const entry of entries) expect(readTaskStoreEntry(JSON.parse(JSON.stringify(entry)), 'line 2')).to.deep.equal(entry);
  });

  it('refuses what is not an entry, saying where and what', () => {
    expect(() => readTaskStoreEntry({ kind: 'task', task: { taskUUID: 'a', numberResults: 0 } }, 'line 7')).to.throw(TypeError, /^line 7 is not a task store entry: /);
    expect(() => readTaskStoreEntry({ kind: 'delivery', event: { status: 'processing', taskUUID: 'a', index: 0 } }, 'x')).to.throw(TypeError);
    expect(() => readTaskStoreEntry(null, 'x')).to.throw(TypeError);
  });
});
