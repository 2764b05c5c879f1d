import { expect } from 'chai';
import { resolveSimulatorOptions } from '../../src/simulator/options.js';
import { mulberry32 } from '../../src/simulator/random.js';
import { generationStates, TaskStore } from '../../src/simulator/taskStore.js';
import type { InferenceRequest } from '../../src/simulator/validateTask.js';

const request = (extra: Partial<InferenceRequest> = {}): InferenceRequest => ({
  taskType: 'videoInference',
  taskUUID: crypto.randomUUID(),
  model: 'klingai:5@3',
  numberResults: 2,
  includeCost: false,
  deliveryMethod: 'async',
  seed: undefined,
  simulate: undefined,
  ...extra,
});

describe('simulator taskStore', () => {
  it('moves each generation from processing to its fate once its simulated duration has passed', () => {
    const settings = resolveSimulatorOptions({ now: () => 0 });
    const store = new TaskStore(settings, mulberry32(1));
    const task = store.add(request({ simulate: { generations: [{ duration: 1000 }, { duration: 3000, fail: 'providerError' }] } }));
    const at = (now: number, timeScale = 1) => generationStates(task, now, timeScale).map((state) => state.status);
    expect(at(0)).to.deep.equal(['processing', 'processing']);
    expect(at(999)).to.deep.equal(['processing', 'processing']);
    expect(at(1000)).to.deep.equal(['success', 'processing']);
    expect(at(3000)).to.deep.equal(['success', 'error']);
    expect(at(3, 1000)).to.deep.equal(['success', 'error']);
    expect(task.generations[1]?.failure?.code).to.equal('providerError');
  });

  it('reports progress of processing generations, below 100', () => {
    const store = new TaskStore(resolveSimulatorOptions({ now: () => 0 }), mulberry32(1));
    const task = store.add(request({ numberResults: 1, simulate: { duration: 1000 } }));
    const state = generationStates(task, 500, 1)[0];
    expect(state?.status === 'processing' && state.progress).to.equal(50);
  });

  it('numbers seeds from the request seed, one per generation, as Runware does', () => {
    const store = new TaskStore(resolveSimulatorOptions(), mulberry32(1));
    const task = store.add(request({ numberResults: 3, seed: 100 }));
    expect(task.generations.map((generation) => generation.seed)).to.deep.equal([100, 101, 102]);
  });

  it('draws the same fates for the same seed, whatever one task scripts', () => {
    const draw = (scripted: boolean): unknown => {
      const store = new TaskStore(resolveSimulatorOptions({ failureRate: 0.5 }), mulberry32(3));
      store.add(request(scripted ? { simulate: { duration: 5 } } : {}));
      return store.add(request({ taskUUID: '24cd5dff-cb81-4db5-8506-b72a9425f9d1' })).generations;
    };
    expect(draw(true)).to.deep.equal(draw(false));
  });
});
