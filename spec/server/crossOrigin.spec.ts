import { expect } from 'chai';
import { isCrossOrigin } from '../../src/server/crossOrigin.js';

describe('crossOrigin', () => {
  const none = new Set<string>();
  const check = (headers: Record<string, string>, ownHost = 'app.example.com', allow: ReadonlySet<string> = none): boolean => isCrossOrigin(new Headers(headers), ownHost, allow);

  it("passes the proxy's own pages, the user's own navigation and callers that are no browser", () => {
    expect(check({ origin: 'https://app.example.com', 'sec-fetch-site': 'same-origin' })).to.equal(false);
    expect(check({ origin: 'https://app.example.com:443' }, 'app.example.com')).to.equal(false);
    expect(check({ origin: 'http://127.0.0.1:3000' }, '127.0.0.1:3000')).to.equal(false);
    expect(check({ 'sec-fetch-site': 'same-origin' })).to.equal(false); // a same-origin GET sends no Origin
    expect(check({ 'sec-fetch-site': 'none' })).to.equal(false);
    expect(check({})).to.equal(false);
  });

  it('refuses another origin, a sibling port or subdomain (same site, cookies shared), an opaque origin and a cross-site fetch without Origin', () => {
    expect(check({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).to.equal(true);
    expect(check({ origin: 'https://admin.app.example.com', 'sec-fetch-site': 'same-site' })).to.equal(true);
    expect(check({ origin: 'http://127.0.0.1:4000' }, '127.0.0.1:3000')).to.equal(true);
    expect(check({ origin: 'null' })).to.equal(true);
    expect(check({ origin: 'not a url' })).to.equal(true);
    expect(check({ 'sec-fetch-site': 'cross-site' })).to.equal(true);
    expect(check({ 'sec-fetch-site': 'same-site' })).to.equal(true);
    expect(check({ origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' }), 'the same host named by another site').to.equal(true);
    expect(isCrossOrigin(new Headers({ origin: 'https://app.example.com' }), undefined, none), 'no Host to compare with').to.equal(true);
  });

  it('passes a listed origin whatever Sec-Fetch-Site says', () => {
    const allow = new Set(['https://admin.example.com']);
    expect(check({ origin: 'https://admin.example.com', 'sec-fetch-site': 'same-site' }, 'api.example.com', allow)).to.equal(false);
    expect(check({ origin: 'https://other.example.com', 'sec-fetch-site': 'same-site' }, 'api.example.com', allow)).to.equal(true);
  });
});
