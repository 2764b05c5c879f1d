import { expect } from 'chai';
import { lastValueFrom, of, toArray } from 'rxjs';
import { RunwareApiError, watchTask } from '../../src/index.js';
import { decodeReply } from '../../src/protocol/decodeReply.js';
import * as fixtures from '../../src/testing/fixtures.js';
import { VIDEO_FAILED, VIDEO_PROCESSING, VIDEO_SUCCESS, AUTH_ERROR } from '../../src/testing/fixtures.js';
import { replyScript } from '../../src/testing/scriptedTransport.js';
import { createTestScheduler } from '../helpers/marbles.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';

describe('testing/fixtures', () => {
  it('every fixture decodes as a reply and is deeply frozen', () => {
    const { REPLY_SHAPES: _shapes, ...replies } = fixtures;
    for (const [name, fixture] of Object.entries(replies)) {
      expect(() => decodeReply(fixture), name).to.not.throw();
      expect(Object.isFrozen(fixture), name).to.equal(true);
      const firstItem = fixture.data?.[0] ?? fixture.errors?.[0];
      expect(Object.isFrozen(firstItem), name).to.equal(true);
    }
  });

  it('keeps the documented fields verbatim', () => {
    expect(VIDEO_SUCCESS.data?.[0]).to.include({ videoUUID: 'b7db282d-2943-4f12-992f-77df3ad3ec71', cost: 0.18 });
    expect(fixtures.VALIDATION_ERROR.errors?.[0]).to.deep.include({ code: 'unsupportedDuration', allowedValues: [6] });
    expect(fixtures.SDK_MOCK_EMBEDDED_FAILURE.data?.[1]).to.deep.include({ error: { code: 'safety', message: 'Content flagged' } });
  });

  it('VIDEO_PROCESSING then VIDEO_SUCCESS drive a watch from processing to success in virtual time', () => {
    createTestScheduler().run(({ expectObservable }) => {
      const transport = replyScript([VIDEO_PROCESSING, VIDEO_SUCCESS]);
      expectObservable(watchTask(TASK, { transport, jitter: 0 })).toBe('1000ms a 999ms (b|)', {
        a: { status: 'processing', taskUUID: TASK, taskType: 'videoInference', index: 0 },
        b: { status: 'success', taskUUID: TASK, taskType: 'videoInference', index: 0, result: VIDEO_SUCCESS.data?.[0] },
      });
    });
  });

  it('VIDEO_FAILED is a generation event; AUTH_ERROR ends the watch with a RunwareApiError', async () => {
    const failed = await lastValueFrom(watchTask(TASK, { transport: () => of(VIDEO_FAILED), initialDelay: 0 }).pipe(toArray()));
    expect(failed).to.have.length(1);
    expect(failed[0]).to.deep.include({ status: 'error', index: 0 });
    const refused = await lastValueFrom(watchTask(TASK, { transport: () => of(AUTH_ERROR), initialDelay: 0 })).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(RunwareApiError);
    expect(refused).to.include({ code: 'invalidApiKey' });
  });
});
