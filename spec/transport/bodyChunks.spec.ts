import { expect } from 'chai';
import { Readable } from 'node:stream';
import { readBodyChunks as inBrowser } from '../../src/transport/bodyChunks.browser.js';
import { readBodyChunks } from '../../src/transport/bodyChunks.js';

const webStream = (): ReadableStream<Uint8Array> => new Response('{"data":[]}').body as ReadableStream<Uint8Array>;
const collect = async (read: typeof readBodyChunks, body: object): Promise<[boolean, string]> => {
  const chunks: unknown[] = [];
  const known = await read(body, (chunk) => chunks.push(chunk));
  return [known, chunks.map((chunk) => (typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk as Uint8Array))).join('')];
};

describe('readBodyChunks', () => {
  it("reads the platform fetch's WHATWG stream and node-fetch's Node stream, chunk by chunk", async () => {
    expect(await collect(readBodyChunks, webStream())).to.deep.equal([true, '{"data":[]}']);
    expect(await collect(readBodyChunks, Readable.from(['{"data":', '[]}']))).to.deep.equal([true, '{"data":[]}']);
    expect(await collect(readBodyChunks, { text: 'not a stream' })).to.deep.equal([false, '']);
  });

  it('stops at a chunk its taker refuses, leaving the stream (a Node stream is destroyed)', async () => {
    const stream = Readable.from(['a', 'b', 'c']);
    let taken = 0;
    const refused = await readBodyChunks(stream, () => {
      taken += 1;
      if (taken === 2) throw new RangeError('too large');
    }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(RangeError);
    expect([taken, stream.destroyed]).to.deep.equal([2, true]);
  });

  it('in a browser bundle, reads the WHATWG stream alone', async () => {
    expect(await collect(inBrowser, webStream())).to.deep.equal([true, '{"data":[]}']);
    expect(await collect(inBrowser, Readable.from(['x']))).to.deep.equal([false, '']);
  });
});
