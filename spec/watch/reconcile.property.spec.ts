/**
 * Property-based tests of the pure reconciliation (readTaskReply + reconcile + isSettled).
 *
 * A history is generated from a hidden truth: N generations (1-4), each processing for some polls and
 * then finishing once (success with its own videoUUID, or a failure in either wire shape). Every poll
 * returns the full cumulative state, as the protocol says, with the order of items shuffled and items of
 * other tasks mixed in. Because processing items are anonymous, events are compared with the truth as
 * multisets of outcomes per reply, never by index.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { GenerationEvent } from '../../src/events/events.js';
import type { DataItem, Envelope, ErrorItem } from '../../src/protocol/codecs.js';
import { foldReply, type Folded } from '../../src/watch/foldReply.js';
import { readTaskReply } from '../../src/protocol/taskReply.js';
import { initialWatchState, isSettled, reconcile, type WatchState } from '../../src/watch/reconcile.js';

const TASK = '24cd5dff-cb81-4db5-8506-b72a9425f9d1';
const OTHER = '8f1d0c2e-5a6b-4c7d-9e8f-0a1b2c3d4e5f';
const TASK_TYPE = 'videoInference';

// -------------------------------------------------------------------------------------
// model of the truth
// -------------------------------------------------------------------------------------

/** How one generation ends. `code`/`message` may repeat across generations: identical failures happen. */
type Ending =
  | { readonly kind: 'success'; readonly videoUUID: string; readonly cost: number | undefined }
  | { readonly kind: 'failure'; readonly shape: 'errors' | 'embedded'; readonly code: string; readonly message: string };

interface GenerationScript {
  /** Polls (0-based) during which the generation is still processing; it is finished from this poll on. */
  readonly processingPolls: number;
  readonly ending: Ending;
  /** First poll that lists the generation (0 in the strict model, where every poll lists all of them). */
  readonly appearAt: number;
  /** Progress reported while processing, per poll (ignored by the comparison: anonymous items). */
  readonly progress: ReadonlyArray<number | undefined>;
}

interface History {
  readonly generations: ReadonlyArray<GenerationScript>;
  /** Extra polls after the last change, to check that nothing more is emitted. */
  readonly trailingPolls: number;
  /** One permutation seed per poll, used to shuffle data[] and errors[]. */
  readonly shuffles: ReadonlyArray<ReadonlyArray<number>>;
  /** Items of another task mixed into each poll. */
  readonly noise: ReadonlyArray<{ readonly data: ReadonlyArray<DataItem>; readonly errors: ReadonlyArray<ErrorItem> }>;
  readonly withNumberResults: boolean;
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const uuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));

const endingArb: fc.Arbitrary<Ending> = fc.oneof(
  fc.record({ kind: fc.constant('success' as const), videoUUID: uuid, cost: fc.option(fc.double({ min: 0, max: 5, noNaN: true }), { nil: undefined }) }),
  fc.record({
    kind: fc.constant('failure' as const),
    shape: fc.constantFrom('errors' as const, 'embedded' as const),
    code: fc.constantFrom('timeoutProvider', 'providerError', 'contentPolicyViolation'),
    message: fc.constantFrom('The external provider did not respond.', 'Content flagged'),
  }),
);

const MAX_POLLS = 6;

const noiseArb = fc.record({
  data: fc.array(
    fc.oneof(
      fc.constant<DataItem>({ taskType: TASK_TYPE, taskUUID: OTHER, status: 'processing' }),
      uuid.map((id): DataItem => ({ taskType: TASK_TYPE, taskUUID: OTHER, status: 'success', videoUUID: id, videoURL: `https://media.test/${id}.mp4` })),
      fc.constant<DataItem>({ taskType: TASK_TYPE, taskUUID: OTHER, status: 'error', error: { code: 'providerError', message: 'other task' } }),
    ),
    { maxLength: 2 },
  ),
  errors: fc.array(fc.constant<ErrorItem>({ code: 'timeoutProvider', status: 'error', message: 'other task', taskUUID: OTHER }), { maxLength: 1 }),
});

const historyArbWith = (appearAt: fc.Arbitrary<number>): fc.Arbitrary<History> => fc
  .record({
    generations: fc
      .array(
        fc.record({
          processingPolls: fc.integer({ min: 0, max: MAX_POLLS - 1 }),
          appearAt,
          ending: endingArb,
          progress: fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), { minLength: MAX_POLLS, maxLength: MAX_POLLS }),
        }),
        { minLength: 1, maxLength: 4 },
      )
      // Success media UUIDs are unique per generation, as Runware promises.
      .filter((gens) => {
        const ids = gens.flatMap((g) => (g.ending.kind === 'success' ? [g.ending.videoUUID] : []));
        return new Set(ids).size === ids.length;
      }),
    trailingPolls: fc.integer({ min: 0, max: 2 }),
    shuffles: fc.array(fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), { minLength: MAX_POLLS + 2, maxLength: MAX_POLLS + 2 }),
    noise: fc.array(noiseArb, { minLength: MAX_POLLS + 2, maxLength: MAX_POLLS + 2 }),
    withNumberResults: fc.boolean(),
  });

/** The protocol as documented: every poll lists every generation. */
const historyArb = historyArbWith(fc.constant(0));

/**
 * A looser reading: the first polls may list fewer generations than the task will have (the ack is one
 * placeholder whatever numberResults says), and a late one may be first seen already finished.
 */
const progressiveArb = historyArbWith(fc.integer({ min: 0, max: MAX_POLLS - 1 })).filter((history) => !looksEndedTwice(history));

/**
 * Whether two polls in a row list fewer generations than numberResults, none processing and one failed:
 * what a task the service ended looks like (endedTaskFailure), so reconcile ends the watch there. A late
 * generation that stays unlisted that long is outside what it can tell apart (docs/protocol.md).
 */
function looksEndedTwice(history: History): boolean {
  if (!history.withNumberResults) return false;
  const looksEnded = (poll: number): boolean => {
    const listed = history.generations.filter((script) => script.appearAt <= poll);
    return listed.length < history.generations.length && listed.every((script) => isFinishedAt(script, poll)) && listed.some((script) => script.ending.kind === 'failure');
  };
  for (let poll = 0; poll + 1 < pollCount(history); poll += 1) if (looksEnded(poll) && looksEnded(poll + 1)) return true;
  return false;
}

function pollCount(history: History): number {
  return Math.max(...history.generations.map((g) => Math.max(g.processingPolls, g.appearAt))) + 1 + history.trailingPolls;
}

function isFinishedAt(script: GenerationScript, poll: number): boolean {
  return poll >= script.processingPolls;
}

/** The reply Runware sends at `poll`: the cumulative state of every generation, shuffled, with noise. */
function replyAt(history: History, poll: number, options: { noise: boolean } = { noise: true }): Envelope {
  const data: DataItem[] = [];
  const errors: ErrorItem[] = [];
  history.generations.forEach((script) => {
    if (poll < script.appearAt) return;
    if (!isFinishedAt(script, poll)) {
      const progress = script.progress[poll];
      data.push({ taskType: TASK_TYPE, taskUUID: TASK, status: 'processing', ...(progress === undefined ? {} : { progress }) });
      return;
    }
    const { ending } = script;
    if (ending.kind === 'success') {
      data.push({
        taskType: TASK_TYPE,
        taskUUID: TASK,
        status: 'success',
        videoUUID: ending.videoUUID,
        videoURL: `https://media.test/${ending.videoUUID}.mp4`,
        ...(ending.cost === undefined ? {} : { cost: ending.cost }),
      });
    } else if (ending.shape === 'errors') {
      errors.push({ code: ending.code, status: 'error', message: ending.message, documentation: 'https://docs.test/e', taskUUID: TASK });
    } else {
      data.push({ taskType: TASK_TYPE, taskUUID: TASK, status: 'error', error: { code: ending.code, message: ending.message } });
    }
  });
  const noise = history.noise[poll] ?? { data: [], errors: [] };
  const seeds = history.shuffles[poll] ?? [];
  const allData = shuffle(options.noise ? [...data, ...noise.data] : data, seeds);
  const allErrors = shuffle(options.noise ? [...errors, ...noise.errors] : errors, seeds.slice(4));
  return { data: allData, ...(allErrors.length > 0 || poll % 2 === 0 ? { errors: allErrors } : {}) };
}

function shuffle<T>(items: ReadonlyArray<T>, seeds: ReadonlyArray<number>): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = (seeds[i % Math.max(1, seeds.length)] ?? 0) % (i + 1);
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

/** What a generation looks like to an observer: its status and, once finished, what identifies it. */
function outcomeOf(script: GenerationScript, poll: number): string {
  if (!isFinishedAt(script, poll)) return 'processing';
  const { ending } = script;
  return ending.kind === 'success' ? `success:${ending.videoUUID}` : `error:${ending.code}:${ending.message}`;
}

/** The true transitions at `poll`: each generation seen for the first time, or whose status changed. */
function trueTransitions(history: History, poll: number): string[] {
  return history.generations.flatMap((script) => {
    if (poll < script.appearAt) return [];
    const now = outcomeOf(script, poll);
    if (poll === script.appearAt) return [now];
    return outcomeOf(script, poll - 1) === now ? [] : [now];
  });
}

function outcomeOfEvent(event: GenerationEvent): string {
  if (event.status === 'processing') return 'processing';
  if (event.status === 'success') return `success:${String(event.result.videoUUID)}`;
  return `error:${event.error.code}:${event.error.message}`;
}

const sorted = (values: ReadonlyArray<string>): string[] => [...values].sort();

interface Run {
  readonly perPoll: ReadonlyArray<ReadonlyArray<GenerationEvent>>;
  readonly states: ReadonlyArray<WatchState>;
  readonly settled: ReadonlyArray<boolean>;
}

function fold(history: History, noise = true): Run {
  const numberResults = history.withNumberResults ? history.generations.length : undefined;
  let state = initialWatchState(TASK);
  const perPoll: GenerationEvent[][] = [];
  const states: WatchState[] = [];
  const settled: boolean[] = [];
  for (let poll = 0; poll < pollCount(history); poll += 1) {
    const reply = readTaskReply(replyAt(history, poll, { noise }), TASK);
    expect(reply.requestErrors, 'no request-level error in a protocol history').to.deep.equal([]);
    const next = reconcile(state, reply, numberResults);
    state = next.state;
    perPoll.push([...next.events]);
    states.push(state);
    settled.push(isSettled(state, numberResults));
  }
  return { perPoll, states, settled };
}

/** FC_RUNS=5000 for a deeper search; 400 keeps the default run quick. */
const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 400) };

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

describe('reconcile (properties)', () => {
  it('emits exactly the true transitions of every reply, as multisets of outcomes', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const run = fold(history);
        run.perPoll.forEach((events, poll) => {
          expect(sorted(events.map(outcomeOfEvent)), `poll ${poll}`).to.deep.equal(sorted(trueTransitions(history, poll)));
        });
      }),
      RUNS,
    );
  });

  it('assigns 0-based indices in order of first sight and keeps them stable', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const events = fold(history).perPoll.flat();
        const firstSight: number[] = [];
        for (const event of events) if (!firstSight.includes(event.index)) firstSight.push(event.index);
        expect(firstSight).to.deep.equal(firstSight.map((_, i) => i));
        expect(firstSight.length).to.equal(history.generations.length);
        // Stable: an index that finished keeps its outcome in every later state.
        const run = fold(history);
        run.states.forEach((state, poll) => {
          const later = run.states.slice(poll + 1);
          state.slots.forEach((slot, index) => {
            if (slot.event.status === 'processing') return;
            for (const next of later) expect(next.slots[index]?.event).to.deep.equal(slot.event);
          });
        });
      }),
      RUNS,
    );
  });

  it('never emits two terminal events, or anything after a terminal event, for one index', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const finished = new Set<number>();
        const started = new Set<number>();
        for (const event of fold(history).perPoll.flat()) {
          expect(finished.has(event.index), `event after terminal at index ${event.index}`).to.equal(false);
          if (event.status === 'processing') {
            expect(started.has(event.index), `second processing event at index ${event.index}`).to.equal(false);
            started.add(event.index);
          } else {
            finished.add(event.index);
          }
        }
        expect(finished.size).to.equal(history.generations.length);
      }),
      RUNS,
    );
  });

  it('emits nothing when the same reply comes again', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const numberResults = history.withNumberResults ? history.generations.length : undefined;
        const run = fold(history);
        run.states.forEach((state, poll) => {
          const again = reconcile(state, readTaskReply(replyAt(history, poll), TASK), numberResults);
          expect(again.events, `poll ${poll} repeated`).to.deep.equal([]);
          // The very same state object: nothing is copied when nothing changed, and a caller can tell by identity.
          expect(again.state, `poll ${poll} repeated: the same state`).to.equal(state);
        });
      }),
      RUNS,
    );
  });

  it('settles exactly at the first fully terminal reply, with and without numberResults', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const firstTerminal = Math.max(...history.generations.map((g) => g.processingPolls));
        const run = fold(history);
        run.settled.forEach((settled, poll) => expect(settled, `poll ${poll}`).to.equal(poll >= firstTerminal));
      }),
      RUNS,
    );
  });

  it('ignores items of other tasks', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const withNoise = fold(history, true);
        const without = fold(history, false);
        expect(withNoise.perPoll.map((events) => events.map(outcomeOfEvent).sort())).to.deep.equal(
          without.perPoll.map((events) => events.map(outcomeOfEvent).sort()),
        );
        for (const event of withNoise.perPoll.flat()) expect(event.taskUUID).to.equal(TASK);
      }),
      RUNS,
    );
  });

  it('emits every finished result with its wire fields kept', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const terminal = fold(history).perPoll.flat().filter((event) => event.status === 'success');
        for (const event of terminal) {
          const script = history.generations.find((g) => g.ending.kind === 'success' && g.ending.videoUUID === event.result.videoUUID);
          expect(script, 'a success event names a real generation').to.not.equal(undefined);
          expect(event.result.videoURL).to.equal(`https://media.test/${String(event.result.videoUUID)}.mp4`);
          expect(event.result.taskType).to.equal(TASK_TYPE);
        }
      }),
      RUNS,
    );
  });
});

describe('reconcile (properties, generations listed late)', () => {
  const terminalOnly = (outcomes: ReadonlyArray<string>): string[] => sorted(outcomes.filter((outcome) => outcome !== 'processing'));

  it('emits every true terminal transition in the reply that shows it, and nothing twice', () => {
    fc.assert(
      fc.property(progressiveArb, (history) => {
        const run = fold(history);
        run.perPoll.forEach((events, poll) => {
          expect(terminalOnly(events.map(outcomeOfEvent)), `poll ${poll}`).to.deep.equal(terminalOnly(trueTransitions(history, poll)));
        });
        const indices = run.perPoll.flat().filter((event) => event.status !== 'processing').map((event) => event.index);
        expect(new Set(indices).size).to.equal(indices.length);
        expect(indices.length).to.equal(history.generations.length);
      }),
      RUNS,
    );
  });

  it('keeps one slot per generation seen, processing ones matched by count', () => {
    fc.assert(
      fc.property(progressiveArb, (history) => {
        const run = fold(history);
        run.states.forEach((state, poll) => {
          const visible = history.generations.filter((g) => poll >= g.appearAt);
          expect(state.slots.length, `poll ${poll}`).to.equal(visible.length);
          const processing = state.slots.filter((slot) => slot.event.status === 'processing').length;
          expect(processing, `poll ${poll}`).to.equal(visible.filter((g) => !isFinishedAt(g, poll)).length);
        });
      }),
      RUNS,
    );
  });

  it('settles at the first reply where every generation listed so far is finished (all numberResults of them when given)', () => {
    fc.assert(
      fc.property(progressiveArb, (history) => {
        const run = fold(history);
        run.settled.forEach((settled, poll) => {
          const visible = history.generations.filter((g) => poll >= g.appearAt);
          const enough = history.withNumberResults ? visible.length === history.generations.length : visible.length > 0;
          expect(settled, `poll ${poll}`).to.equal(enough && visible.every((g) => isFinishedAt(g, poll)));
        });
      }),
      RUNS,
    );
  });
});

/** Faults a reply can carry that the reconciliation must absorb when numberResults is known. */
type ReplyFault = 'none' | 'duplicateItems' | 'missingGeneration' | 'reorderedItems';

function faultyReply(envelope: Envelope, fault: ReplyFault): Envelope {
  const data = [...(envelope.data ?? [])];
  const errors = [...(envelope.errors ?? [])];
  switch (fault) {
    case 'duplicateItems':
      return { data: data.flatMap((item) => [item, item]), errors: errors.flatMap((item) => [item, item]) };
    case 'missingGeneration':
      return errors.length > 0 ? { data, errors: errors.slice(0, -1) } : { data: data.slice(0, -1), errors };
    case 'reorderedItems':
      return { data: data.reverse(), errors: errors.reverse() };
    default:
      return envelope;
  }
}

describe('reconcile (properties, faulty replies with numberResults)', () => {
  // A generation missing from two replies in a row can look like a task the service ended (endedTaskFailure).
  const faultsArb = fc
    .array(fc.constantFrom<ReplyFault>('none', 'none', 'duplicateItems', 'missingGeneration', 'reorderedItems'), {
      minLength: MAX_POLLS + 4,
      maxLength: MAX_POLLS + 4,
    })
    .filter((faults) => !faults.some((fault, poll) => fault === 'missingGeneration' && faults[poll + 1] === 'missingGeneration'));

  it('still reports every generation exactly once, and never settles before the truth does', () => {
    fc.assert(
      fc.property(historyArb, faultsArb, (history, faults) => {
        const numberResults = history.generations.length;
        let state = initialWatchState(TASK);
        const terminal: string[] = [];
        const indices: number[] = [];
        const polls = pollCount(history) + 2; // two clean polls at the end, after any missing generation
        let settledAt: number | undefined;
        for (let poll = 0; poll < polls && settledAt === undefined; poll += 1) {
          const clean = replyAt(history, Math.min(poll, pollCount(history) - 1));
          const fault = poll >= pollCount(history) ? 'none' : (faults[poll] ?? 'none');
          const next = reconcile(state, readTaskReply(faultyReply(clean, fault), TASK), numberResults);
          state = next.state;
          for (const event of next.events) {
            if (event.status === 'processing') continue;
            terminal.push(outcomeOfEvent(event));
            indices.push(event.index);
          }
          if (isSettled(state, numberResults)) settledAt = poll;
        }
        const truth = history.generations.map((g) => outcomeOf(g, MAX_POLLS));
        expect(settledAt, 'settles').to.not.equal(undefined);
        expect(settledAt).to.be.at.least(Math.max(...history.generations.map((g) => g.processingPolls)));
        expect(sorted(terminal)).to.deep.equal(sorted(truth));
        expect(new Set(indices).size).to.equal(indices.length);
      }),
      RUNS,
    );
  });
});

// -------------------------------------------------------------------------------------
// finished items whose bytes change between polls
// -------------------------------------------------------------------------------------

/**
 * The same history, but finished items are re-signed on every poll: success URLs carry a new signature,
 * failure messages change, and (per `anonymous`) some successes carry no videoUUID at all, as results
 * with only a URL do. The reader must still see each finished generation once, in any item order.
 */
function resignedReply(envelope: Envelope, poll: number, anonymous: ReadonlyArray<boolean>): Envelope {
  const data = (envelope.data ?? []).map((item): DataItem => {
    if (item.taskUUID !== TASK) return item;
    if (item.status === 'success') {
      const { videoUUID, ...rest } = item;
      // Anonymity is a property of the generation (from its UUID), never of the item's place in the reply.
      const keep = !(anonymous[parseInt(String(videoUUID).slice(-1), 16) % anonymous.length] ?? false);
      return { ...rest, ...(keep && videoUUID !== undefined ? { videoUUID } : {}), videoURL: `${String(item.videoURL)}?sig=${poll}` };
    }
    if (item.status === 'error' && item.error !== undefined) return { ...item, error: { ...item.error, message: `${item.error.message ?? ''} (poll ${poll})` } };
    return item;
  });
  const errors = (envelope.errors ?? []).map((item): ErrorItem => (item.taskUUID === TASK ? { ...item, message: `${item.message ?? ''} (poll ${poll})` } : item));
  return { data, errors };
}

/** An outcome without what changes between polls: `success`, or `error:<code>`. */
const stableOutcome = (outcome: string): string => (outcome.startsWith('success') ? 'success' : outcome.split(':').slice(0, 2).join(':'));

describe('reconcile (properties, finished items re-signed on every poll, in any order)', () => {
  const anonymousArb = fc.array(fc.boolean(), { minLength: 4, maxLength: 4 });

  it('reports each generation once, with its true outcome, and settles exactly when the truth does', () => {
    fc.assert(
      fc.property(historyArb, anonymousArb, (history, anonymous) => {
        const numberResults = history.withNumberResults ? history.generations.length : undefined;
        let state = initialWatchState(TASK);
        const firstTerminal = Math.max(...history.generations.map((g) => g.processingPolls));
        for (let poll = 0; poll < pollCount(history); poll += 1) {
          const next = reconcile(state, readTaskReply(resignedReply(replyAt(history, poll), poll, anonymous), TASK), numberResults);
          state = next.state;
          // The true transitions of this reply, as multisets of stable outcomes: a re-signed item is no news.
          expect(sorted(next.events.map((event) => stableOutcome(outcomeOfEvent(event)))), `poll ${poll}`).to.deep.equal(
            sorted(trueTransitions(history, poll).map(stableOutcome)),
          );
          expect(isSettled(state, numberResults), `settled at poll ${poll}`).to.equal(poll >= firstTerminal);
        }
      }),
      RUNS,
    );
  });

  it('emits nothing when the same poll comes again re-signed, whatever the item order', () => {
    fc.assert(
      fc.property(historyArb, anonymousArb, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (history, anonymous, seeds) => {
        const numberResults = history.withNumberResults ? history.generations.length : undefined;
        let state = initialWatchState(TASK);
        for (let poll = 0; poll < pollCount(history); poll += 1) {
          state = reconcile(state, readTaskReply(resignedReply(replyAt(history, poll), poll, anonymous), TASK), numberResults).state;
          const again = replyAt(history, poll);
          const reordered = { data: shuffle(again.data ?? [], seeds), errors: shuffle(again.errors ?? [], seeds.slice(3)) };
          const repeat = reconcile(state, readTaskReply(resignedReply(reordered, poll + 100, anonymous), TASK), numberResults);
          expect(repeat.events, `poll ${poll} again`).to.deep.equal([]);
        }
      }),
      RUNS,
    );
  });
});

describe('reconcile (properties, an equal reply skipped before decoding)', () => {
  /** How often each poll's reply comes (1 to 3 times), and whether a repeat is re-signed or reordered. */
  const repeatsArb = fc.array(fc.record({ times: fc.integer({ min: 1, max: 3 }), variant: fc.constantFrom('copy' as const, 'resigned' as const, 'reordered' as const) }), {
    minLength: MAX_POLLS + 2,
    maxLength: MAX_POLLS + 2,
  });

  it('gives the same events, states and settling as folding every reply, whatever repeats', () => {
    fc.assert(
      fc.property(historyArb, repeatsArb, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (history, repeats, seeds) => {
        const numberResults = history.withNumberResults ? history.generations.length : undefined;
        // Every body as a transport gives it: parsed on its own, never an object seen before.
        const bodies: unknown[] = [];
        for (let poll = 0; poll < pollCount(history); poll += 1) {
          const { times, variant } = repeats[poll] ?? { times: 1, variant: 'copy' };
          const reply = replyAt(history, poll);
          for (let n = 0; n < times; n += 1) {
            const body =
              n === 0 || variant === 'copy'
                ? reply
                : variant === 'resigned'
                  ? resignedReply(reply, poll * 10 + n, [true, false, true, false])
                  : { data: shuffle(reply.data ?? [], seeds), errors: shuffle(reply.errors ?? [], seeds.slice(3)) };
            bodies.push(JSON.parse(JSON.stringify(body)));
          }
        }
        let folding = initialWatchState(TASK);
        let skipping = initialWatchState(TASK);
        let last: Folded | undefined;
        bodies.forEach((body, n) => {
          const everyTime = foldReply(folding, body, numberResults);
          const memo = foldReply(skipping, body, numberResults, last);
          if (last === undefined || last.state !== memo.state) last = { body, state: memo.state };
          expect(memo.events, `reply ${n}`).to.deep.equal(everyTime.events);
          expect(memo.state, `reply ${n}`).to.deep.equal(everyTime.state);
          expect(isSettled(memo.state, numberResults)).to.equal(isSettled(everyTime.state, numberResults));
          folding = everyTime.state;
          skipping = memo.state;
        });
      }),
      // Each run folds up to 24 replies twice: half the runs keep the suite quick.
      { numRuns: Math.ceil(RUNS.numRuns / 2) },
    );
  });
});
