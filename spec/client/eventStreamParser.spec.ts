import { expect } from 'chai';
import { createEventStreamParser, type EventStreamMessage } from '../../src/client/eventStreamParser.js';

describe('createEventStreamParser', () => {
  function parseAll(chunks: readonly string[]): EventStreamMessage[] {
    const messages: EventStreamMessage[] = [];
    const parse = createEventStreamParser((message) => messages.push(message));
    for (const chunk of chunks) parse(chunk);
    return messages;
  }

  it('reads id, event and multi-line data, ignores comments and retry, dispatches at a blank line', () => {
    expect(parseAll(['retry: 1000\n\n: keep-alive\n\nid: a.1\nevent: generation\ndata: {"x":1}\n\ndata: one\ndata: two\n\n'])).to.deep.equal([
      { id: 'a.1', event: 'generation', data: '{"x":1}' },
      { id: 'a.1', event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('gives the same messages however the text is split, with LF, CRLF or CR line ends', () => {
    const text = 'id: a.1\r\nevent: end\r\ndata:{}\r\n\r\nid: a.2\revent: x\rdata: y\r\rid: a.3\nevent: z\ndata: w\n\n';
    const whole = parseAll([text]);
    expect(whole).to.deep.equal([
      { id: 'a.1', event: 'end', data: '{}' },
      { id: 'a.2', event: 'x', data: 'y' },
      { id: 'a.3', event: 'z', data: 'w' },
    ]);
    for (let split = 1; split < text.length; split += 1) expect(parseAll([text.slice(0, split), text.slice(split)]), `split at ${split}`).to.deep.equal(whole);
    expect(parseAll([...text])).to.deep.equal(whole);
  });

  it('dispatches nothing for a message cut off before its blank line', () => {
    expect(parseAll(['id: a.1\nevent: generation\ndata: {}\n'])).to.deep.equal([]);
  });
});
