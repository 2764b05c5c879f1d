/**
 * The tolerant reader, end to end: every reply shape of `REPLY_SHAPES` (what Runware's official SDKs, CLI
 * and docs show beyond the documented examples) fed through the public `watchTask` over a scripted
 * transport in virtual time. No shape may end in a RunwareDecodeError or a timeout.
 */
import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { createRunwareClient, RunwareApiError, RunwareDecodeError, RunwareTimeoutError, watchTask, type GenerationEvent } from '../src/index.js';
import { FIXTURE_TASK_UUID, REPLY_SHAPES, replyScript, type ReplyShape } from '../src/testing/index.js';
import { createTestScheduler } from './helpers/marbles.js';

interface Run {
  readonly events: GenerationEvent[];
  readonly error: unknown;
  readonly completed: boolean;
}

/** Watches the fixture task over `replies` (the last one repeating) until it ends, in virtual time. */
function watchShape(shape: Pick<ReplyShape, 'replies' | 'numberResults'>): Run {
  const events: GenerationEvent[] = [];
  let error: unknown;
  let completed = false;
  createTestScheduler().run(() => {
    const transport = replyScript(shape.replies, { whenExhausted: 'repeatLast' });
    const options = { transport, timeout: 60_000, ...(shape.numberResults === undefined ? {} : { numberResults: shape.numberResults }) };
    watchTask(FIXTURE_TASK_UUID, options).subscribe({
      next: (event) => events.push(event),
      error: (caught: unknown) => (error = caught),
      complete: () => (completed = true),
    });
  });
  return { events, error, completed };
}

/** The final status of every generation, by index. */
function finalStatuses(events: ReadonlyArray<GenerationEvent>): string[] {
  const last: string[] = [];
  for (const event of events) last[event.index] = event.status;
  return last;
}

describe('tolerant reader (every REPLY_SHAPES entry through watchTask)', () => {
  for (const shape of REPLY_SHAPES) {
    it(`${shape.name} [${shape.source}]`, () => {
      const run = watchShape(shape);
      expect(run.error, 'a decode error').to.not.be.instanceOf(RunwareDecodeError);
      expect(run.error, 'a timeout').to.not.be.instanceOf(RunwareTimeoutError);
      if ('refused' in shape.outcome) {
        expect(run.error).to.be.instanceOf(RunwareApiError).and.include({ code: shape.outcome.refused, taskUUID: FIXTURE_TASK_UUID });
        return;
      }
      expect(run.error, String(run.error)).to.equal(undefined);
      expect(run.completed).to.equal(true);
      expect(finalStatuses(run.events)).to.deep.equal(shape.outcome.generations);
      // One processing event at most, then exactly one terminal event, per generation.
      const terminal = run.events.filter((event) => event.status !== 'processing').map((event) => event.index);
      expect(terminal).to.have.members([...shape.outcome.generations.keys()]);
      const started = run.events.filter((event) => event.status === 'processing').map((event) => event.index);
      expect(new Set(started).size).to.equal(started.length);
    });
  }

  it('covers every shape the issue names at least once', () => {
    const names = REPLY_SHAPES.map((shape) => shape.name).join('\n');
    for (const needle of ['getResponse', 'parameter is a list', 'without code', 'legacy singular error', '2024', 'responseContent', 'server-side', 'null', 'without taskUUID', 'status-less', 'signed URL', 'message changes', 'resultIndex', 'identical text', 'on the item itself', '"completed"', 'service ended']) {
      expect(names, needle).to.include(needle);
    }
  });
});

describe('tolerant reader: what the events carry', () => {
  const byName = (prefix: string): ReplyShape => {
    const shape = REPLY_SHAPES.find((candidate) => candidate.name.startsWith(prefix));
    if (shape === undefined) throw new Error(`no shape ${prefix}`);
    return shape;
  };
  const errorOf = (prefix: string) => {
    const event = watchShape(byName(prefix)).events.find((candidate) => candidate.status === 'error');
    if (event?.status !== 'error') throw new Error('no error event');
    return event.error;
  };

  it('keeps a list parameter, responseContent and other extra fields on the failure', () => {
    expect(errorOf('failed generation whose parameter')).to.deep.include({ code: 'incompatibleParameters', parameter: ['width', 'height'] });
    expect(errorOf('provider failure with responseContent')).to.deep.include({ responseContent: { detail: 'quota' }, retryAfterSeconds: 30 });
  });

  it('gives an error without code the stable code unknownError and keeps its message', () => {
    expect(errorOf('failed generation without code')).to.include({ code: 'unknownError', message: 'Something went wrong' });
    expect(errorOf('embedded failure without code')).to.include({ code: 'unknownError', message: 'Content flagged' });
  });

  it('never reports getResponse, the echo of the poll, as the task type of an event', () => {
    const events = [...watchShape(byName('getResponse-tagged items')).events, ...watchShape(byName('getResponse-tagged failed')).events];
    expect(events.map((event) => event.taskType ?? '')).to.deep.equal(['', '', '']);
  });

  it('reads null fields as absent: no key in the result', () => {
    const success = watchShape(byName('null fields')).events[0];
    expect(success?.status).to.equal('success');
    if (success?.status === 'success') expect(success.result).to.not.have.any.keys('cost', 'seed', 'NSFWContent', 'videoBase64Data');
  });

  it('types the results of other task types: text, outputs, guide images without casts', () => {
    const resultOf = (prefix: string) => {
      const event = watchShape(byName(prefix)).events.find((candidate) => candidate.status === 'success');
      if (event?.status !== 'success') throw new Error('no success');
      return event.result;
    };
    const text: string | undefined = resultOf('textInference').text;
    const files: string | undefined = resultOf('status-less 3dInference').outputs?.files?.[0]?.url;
    const guide: string | undefined = resultOf('controlNetPreprocess').guideImageURL;
    expect([text, files, guide]).to.deep.equal(['Hello', 'https://im.runware.ai/3d/a.glb', 'https://im.runware.ai/guide/g.png']);
  });

  it('retries a server-side error without taskUUID on a 200 within the budget, and fails with a retryable RunwareApiError once it is spent', () => {
    const shape = byName('server-side error');
    const once = watchShape(shape);
    expect(once.error).to.equal(undefined);
    const always = watchShape({ replies: [shape.replies[0]!] });
    expect(always.error).to.be.instanceOf(RunwareApiError).and.include({ code: 'serverError', retryable: true });
  });

  it('a finished item whose bytes change between polls never takes a processing slot or settles the watch early', () => {
    for (const prefix of ['a finished result without id', 'a failure whose message changes']) {
      const run = watchShape(byName(prefix));
      const terminalAt = run.events.filter((event) => event.status !== 'processing');
      expect(terminalAt, prefix).to.have.length(2);
      expect(new Set(terminalAt.map((event) => event.index)).size, prefix).to.equal(2);
    }
  });

  it('client.getResponse reads the same shapes', async () => {
    const shape = byName('status-less image');
    const client = createRunwareClient({ transport: replyScript(shape.replies) });
    const snapshot = await firstValueFrom(client.getResponse(FIXTURE_TASK_UUID));
    expect(snapshot.generations.map((event) => event.status)).to.deep.equal(['success']);
    const refused = byName('legacy singular error without task');
    const error = await firstValueFrom(createRunwareClient({ transport: replyScript(refused.replies) }).getResponse(FIXTURE_TASK_UUID)).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(RunwareApiError).and.include({ code: 'invalidApiKey' });
  });
});
