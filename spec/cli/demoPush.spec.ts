import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { startDemoPush } from '../../src/cli/demoPush.js';
import type { AttemptReport } from '../../src/index.js';
import { success } from '../../src/testing/index.js';

describe('cli demo --push: the receiver and the record of sources', () => {
  it('receives a signed webhook on loopback and says the events after it came by push, those after a poll reply by poll', async () => {
    const demo = await startDemoPush();
    try {
      expect(demo.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/runware\/webhook$/);
      const taskUUID = crypto.randomUUID();
      const url = demo.push.urlFor(taskUUID);
      expect(url.startsWith(`${demo.url}?`)).to.equal(true);
      const body = success({ taskUUID, videoUUID: crypto.randomUUID() });
      const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(answer.status).to.equal(204);
      expect(demo.source()).to.equal('poll'); // nothing reached a watch yet
      // The body was kept by the receiver's hub: a watch of the task gets it, and the record says push.
      expect(await firstValueFrom(demo.push.watch(taskUUID))).to.deep.equal(body);
      expect(demo.source()).to.equal('push');
      demo.onAttempt({ taskUUID, attempt: 1, delay: 0, reason: 'initial', latency: 1, outcome: 'reply', events: 0, failures: 0 } satisfies AttemptReport);
      expect(demo.source()).to.equal('poll');
      expect(demo.counts()).to.deep.equal({ webhooks: 1, polls: 1 });
      // A token for another task is refused: nothing reaches the watch.
      const forged = await fetch(url.replace(taskUUID, crypto.randomUUID()), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(forged.status).to.equal(401);
    } finally {
      await demo.close();
    }
  });
});
