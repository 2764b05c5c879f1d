import { expect } from 'chai';
import { checkWebhookBody } from '../../src/server/webhookBody.js';

const TASK = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const OTHER = '5c0d7e1a-9b2f-4c3d-8e4f-a1b2c3d4e5f6';

describe('webhookBody', () => {
  it('accepts the flat task object, the data/errors envelopes (null parts as absent) and items without taskUUID, kept raw', () => {
    const bodies = [
      { taskType: 'videoInference', taskUUID: TASK, status: 'success', videoURL: 'https://example.com/v.mp4' },
      { taskUUID: TASK.toUpperCase(), status: 'processing' },
      { code: 'timeoutProvider', status: 'error', message: 'timed out', taskUUID: TASK },
      { data: [{ taskUUID: TASK, status: 'success' }], errors: null },
      { errors: [{ code: 'timeoutProvider', message: 'timed out', taskUUID: TASK }] },
      { data: [], errors: [] },
      { status: 'success', videoURL: 'https://example.com/v.mp4', taskUUID: null },
    ];
    for (const body of bodies) expect(checkWebhookBody(JSON.stringify(body), TASK), JSON.stringify(body)).to.deep.equal({ ok: true, body });
  });

  it('refuses non-JSON, non-object bodies, non-array envelopes, non-object items and any item of another task', () => {
    const texts = ['', 'nope', 'null', '42', '"x"', '[]', JSON.stringify([{ taskUUID: TASK }]), '{"data":{}}', '{"data":[],"errors":"x"}', '{"data":[null]}', JSON.stringify({ taskUUID: OTHER }), JSON.stringify({ taskUUID: 'x' }), JSON.stringify({ errors: [{ taskUUID: OTHER }] })];
    for (const text of texts) expect(checkWebhookBody(text, TASK).ok, text).to.equal(false);
  });

  it("refuses the hub's internal shape ({ sharedReply }) and an envelope whose own taskUUID names another task", () => {
    const forged = [
      { sharedReply: { data: [{ taskUUID: TASK, status: 'success', videoURL: 'https://attacker.example/v.mp4' }], errors: [] } },
      { taskUUID: TASK, sharedReply: { data: [], errors: [] } },
      { taskUUID: OTHER, data: [{ taskUUID: TASK, status: 'success' }] },
      { taskUUID: OTHER, errors: [] },
    ];
    expect(forged.map((body) => checkWebhookBody(JSON.stringify(body), TASK))).to.deep.equal([
      { ok: false, problem: "The body has the hub's internal shape, not a webhook's." },
      { ok: false, problem: "The body has the hub's internal shape, not a webhook's." },
      { ok: false, problem: 'The body names another task than its URL.' },
      { ok: false, problem: 'The body names another task than its URL.' },
    ]);
    expect(checkWebhookBody(JSON.stringify({ taskUUID: TASK, data: [{ status: 'success' }] }), TASK).ok, 'its own task at the top').to.equal(true);
  });
});
