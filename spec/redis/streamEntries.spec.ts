import { expect } from 'chai';
import { compareStreamIds, readRange, readStreams } from '../../src/redis/streamEntries.js';

describe('streamEntries', () => {
  it('reads XRANGE entries with their body field, tolerating other fields, maps and junk', () => {
    expect(readRange([['1-0', ['other', 'x', 'body', '{"a":1}']], ['2-0', { body: '{}' }], ['3-0', []], 'junk', [4, []]])).to.deep.equal([
      { id: '1-0', body: '{"a":1}' },
      { id: '2-0', body: '{}' },
      { id: '3-0', body: undefined },
    ]);
    expect(readRange(null)).to.deep.equal([]);
  });

  it('reads XREAD replies in RESP2 and RESP3 shapes, and a timeout as nothing', () => {
    const entries = [['5-1', ['body', 'null']]];
    const expected = [{ key: 'k', entries: [{ id: '5-1', body: 'null' }] }];
    expect(readStreams([['k', entries]])).to.deep.equal(expected);
    expect(readStreams({ k: entries })).to.deep.equal(expected);
    expect(readStreams(new Map([['k', entries]]))).to.deep.equal(expected);
    expect(readStreams(null)).to.deep.equal([]);
    expect(readStreams('OK')).to.deep.equal([]);
  });

  it('orders stream IDs numerically by time, then sequence', () => {
    expect(compareStreamIds('9-0', '10-0')).to.be.below(0);
    expect(compareStreamIds('10-10', '10-9')).to.be.above(0);
    expect(compareStreamIds('1796018282125-0', '1796018282125-0')).to.equal(0);
    expect(compareStreamIds('0-0', '1-0')).to.be.below(0);
  });
});
