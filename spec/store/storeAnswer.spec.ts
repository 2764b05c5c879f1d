import { expect } from 'chai';
import { firstValueFrom, of, toArray } from 'rxjs';
import { answerOf } from '../../src/store/storeAnswer.js';

describe('answerOf', () => {
  it('takes the first value of an Observable answer, synchronously when it is', () => {
    const seen: number[] = [];
    answerOf(of(1, 2)).subscribe((value) => seen.push(value));
    expect(seen).to.deep.equal([1]);
  });

  it('takes a Promise answer, an array value as one value', async () => {
    expect(await firstValueFrom(answerOf(Promise.resolve([1, 2])).pipe(toArray()))).to.deep.equal([[1, 2]]);
  });
});
