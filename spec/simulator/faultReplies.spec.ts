import { expect } from 'chai';
import { faultReply, renderReply, replacesReply } from '../../src/simulator/faultReplies.js';
import { resolveFault } from '../../src/simulator/faults.js';

const item = (status: string, extra: Record<string, unknown> = {}) => ({ taskType: 'videoInference', taskUUID: 't', status, ...extra });
const reply = { status: 200, data: [item('success', { videoUUID: 'a' }), item('processing')], errors: [{ code: 'timeoutProvider', message: 'm', status: 'error' }] };

describe('simulator faultReplies', () => {
  it('writes data unless the reply is errors only, and errors only when there are some', () => {
    expect(JSON.parse(renderReply({ status: 200, data: [item('processing')], errors: [] }, undefined).body)).to.have.keys('data');
    expect(JSON.parse(renderReply({ status: 400, data: [], errors: [{ code: 'x', message: 'y' }] }, undefined).body)).to.have.keys('errors');
    expect(JSON.parse(renderReply(reply, undefined).body)).to.have.keys('data', 'errors');
  });

  it('alters bodies as each body fault says', () => {
    const body = (kind: Parameters<typeof resolveFault>[0]) => JSON.parse(renderReply(reply, resolveFault(kind)).body) as { data: Array<{ status: string }>; errors?: unknown[] };
    expect(body('duplicateItems').data).to.have.length(4);
    expect(body('missingGeneration')).to.not.have.property('errors');
    expect(body('reorderedItems').data.map((entry) => entry.status)).to.deep.equal(['processing', 'success']);
    expect(body({ kind: 'unknownStatus', status: 'pending' }).data.map((entry) => entry.status)).to.deep.equal(['success', 'pending']);
    expect(body('codecMismatch').data.every((entry) => (entry as unknown as { taskUUID: unknown }).taskUUID === 42)).to.equal(true);
    expect(renderReply(reply, resolveFault('emptyBody')).body).to.equal('');
    expect(() => JSON.parse(renderReply(reply, resolveFault('malformedJson')).body)).to.throw(SyntaxError);
  });

  it('replaces the reply for status faults only', () => {
    expect(['rateLimit', 'serverError', 'htmlError', 'requestError'].every((kind) => replacesReply(resolveFault(kind as 'rateLimit')))).to.equal(true);
    expect(['slow', 'hang', 'reset', 'malformedJson', 'duplicateItems'].some((kind) => replacesReply(resolveFault(kind as 'slow')))).to.equal(false);
    expect(faultReply(resolveFault('gatewayTimeout')).status).to.equal(504);
    expect(faultReply(resolveFault({ kind: 'rateLimit', retryAfter: 3 })).headers).to.include({ 'Retry-After': '3' });
  });
});
