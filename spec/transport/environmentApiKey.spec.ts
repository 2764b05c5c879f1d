import { expect } from 'chai';
import { environmentApiKey as inBrowser } from '../../src/transport/environmentApiKey.browser.js';
import { environmentApiKey } from '../../src/transport/environmentApiKey.js';

describe('environmentApiKey', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env['RUNWARE_API_KEY'];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['RUNWARE_API_KEY'];
    else process.env['RUNWARE_API_KEY'] = saved;
    Reflect.deleteProperty(globalThis, 'document');
  });

  it("is RUNWARE_API_KEY in Node, a blank one none", () => {
    process.env['RUNWARE_API_KEY'] = 'rw-environment-key';
    expect(environmentApiKey()).to.equal('rw-environment-key');
    process.env['RUNWARE_API_KEY'] = ' \n';
    expect(environmentApiKey()).to.equal(undefined);
    delete process.env['RUNWARE_API_KEY'];
    expect(environmentApiKey()).to.equal(undefined);
  });

  it('reads nothing where there is a document (a page whose bundler defines process)', () => {
    process.env['RUNWARE_API_KEY'] = 'rw-environment-key';
    Object.defineProperty(globalThis, 'document', { value: {}, configurable: true });
    expect(environmentApiKey()).to.equal(undefined);
  });

  it('in a browser bundle, reads nothing at all', () => {
    process.env['RUNWARE_API_KEY'] = 'rw-environment-key';
    expect(inBrowser()).to.equal(undefined);
  });
});
