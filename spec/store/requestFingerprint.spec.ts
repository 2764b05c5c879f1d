import { expect } from 'chai';
import { fingerprint } from '../../src/protocol/taskReply.js';
import { requestFingerprint } from '../../src/store/requestFingerprint.js';

/** FNV-1a 64 over UTF-16 code units, with BigInt: the reference the two-halves version must match. */
function reference(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let index = 0; index < text.length; index += 1) hash = ((hash ^ BigInt(text.charCodeAt(index))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return `fnv1a64:${hash.toString(16).padStart(16, '0')}`;
}

describe('requestFingerprint', () => {
  it('is FNV-1a 64 of the task content, whatever the text (checked against a BigInt reference)', () => {
    const tasks = [{}, { taskType: 'videoInference' }, { positivePrompt: 'ünïcødé 🦊 '.repeat(50), seed: 2 ** 40, nested: { list: [1, null, 'x'] } }];
    for (const task of tasks) expect(requestFingerprint(task)).to.equal(reference(fingerprint(task)));
  });

  it('ignores key order, taskUUID, deliveryMethod and webhookURL; any other change makes another fingerprint', () => {
    const task = { taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a fox', numberResults: 2 };
    const same = { numberResults: 2, positivePrompt: 'a fox', model: 'klingai:5@3', taskType: 'videoInference', taskUUID: 'x', deliveryMethod: 'async', webhookURL: 'https://a/?token=1' };
    expect(requestFingerprint(same)).to.equal(requestFingerprint(task));
    for (const changed of [{ ...task, positivePrompt: 'a wolf' }, { ...task, numberResults: 1 }, { ...task, seed: 1 }]) expect(requestFingerprint(changed)).to.not.equal(requestFingerprint(task));
  });
});
