/**
 * Both forms of followRedirect: the one Node (and every runtime but a browser bundle) runs, and the one
 * package.json's `browser` field gives browser bundles. The fetch transport's own redirect specs
 * (fetchTransportHostile.spec.ts) run the first over loopback; package.spec.ts checks which one a
 * bundle gets.
 */
import { expect } from 'chai';
import { RunwareHttpError } from '../../src/index.js';
import { followRedirect as followInBrowser } from '../../src/transport/followRedirect.browser.js';
import { followRedirect, MAX_REDIRECTS } from '../../src/transport/followRedirect.js';

const URL_ = 'https://proxy.example.test/api/runware';
const KEY = 'rw-follow-key-51d0a2';
const rules = (followRedirects: boolean) => ({ url: URL_, followRedirects, redact: (text: string) => text.replaceAll(KEY, '[redacted]') });
const redirect = (status: number, location?: string): Response => new Response(null, { status, headers: location === undefined ? {} : { Location: location } });
const refusal = (follow: () => unknown): unknown => {
  try {
    follow();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('followRedirect', () => {
  it('follows 301, 302, 307 and 308 within the origin when asked, resolving a relative Location', () => {
    for (const status of [301, 302, 307, 308]) expect(followRedirect(redirect(status, '/moved?x=1'), URL_, 0, rules(true))).to.equal('https://proxy.example.test/moved?x=1');
  });

  it('refuses by default, a 303, another origin, a redirect without Location, and the one after MAX_REDIRECTS', () => {
    const cases: Array<[Response, number, boolean, string | undefined]> = [
      [redirect(307, '/moved'), 0, false, 'https://proxy.example.test'],
      [redirect(303, '/moved'), 0, true, 'https://proxy.example.test'],
      [redirect(307, `http://proxy.example.test/?key=${KEY}`), 0, true, 'http://proxy.example.test'],
      [redirect(307, `https://${KEY}.example.test/`), 0, true, `https://[redacted].example.test`],
      [redirect(302), 0, true, undefined],
      [redirect(307, '/moved'), MAX_REDIRECTS, true, 'https://proxy.example.test'],
    ];
    for (const [response, hops, follow, location] of cases) {
      expect(refusal(() => followRedirect(response, URL_, hops, rules(follow)))).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'redirect', status: response.status, location, retryable: false });
    }
  });

  it('in a browser bundle, refuses every redirect unread, even a same-origin one with followRedirects', () => {
    const response = redirect(307, '/moved');
    Object.defineProperty(response, 'headers', { get: () => expect.fail('the Location was read') });
    expect(refusal(() => followInBrowser(response, URL_, 0, rules(true)))).to.be.instanceOf(RunwareHttpError).and.include({ failure: 'redirect', status: 307, location: undefined, retryable: false });
  });

});
