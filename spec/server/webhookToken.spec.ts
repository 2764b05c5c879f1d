import { expect } from 'chai';
import { createTokenSigner, TOKEN_PARAMS } from '../../src/server/webhookToken.js';

const TASK = 'b7db282d-2943-4f12-992f-77df3ad3ec71';
const OTHER = '5c0d7e1a-9b2f-4c3d-8e4f-a1b2c3d4e5f6';

describe('webhookToken', () => {
  const signer = createTokenSigner('a-test-secret-that-is-long-enough-0123456789');

  it('accepts its own token until the expiry, exclusive', () => {
    const query = signer.sign(TASK, 5_000);
    expect(signer.check(query, 4_999)).to.deep.equal({ ok: true, taskKey: TASK });
    expect(signer.check(query, 5_000)).to.deep.equal({ ok: false, reason: 'expired' });
  });

  it('calls forged: another secret, another task, another expiry, a changed or non-canonical token, missing parameters', () => {
    const query = signer.sign(TASK, 5_000);
    const variant = (name: string, value: string | undefined): URLSearchParams => {
      const changed = new URLSearchParams(query);
      if (value === undefined) changed.delete(name);
      else changed.set(name, value);
      return changed;
    };
    const token = query.get(TOKEN_PARAMS.token) ?? '';
    const forgeries = [
      createTokenSigner('another-secret-that-is-long-enough-987654321').sign(TASK, 5_000),
      variant(TOKEN_PARAMS.task, OTHER),
      variant(TOKEN_PARAMS.expires, '6000'),
      variant(TOKEN_PARAMS.expires, '5000.0'),
      variant(TOKEN_PARAMS.token, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')),
      variant(TOKEN_PARAMS.token, `${token}A`),
      variant(TOKEN_PARAMS.token, `${token.slice(0, 20)}+${token.slice(21)}`),
      variant(TOKEN_PARAMS.token, undefined),
      variant(TOKEN_PARAMS.task, undefined),
      variant(TOKEN_PARAMS.expires, undefined),
      variant(TOKEN_PARAMS.task, 'not-a-uuid'),
    ];
    for (const forged of forgeries) expect(signer.check(forged, 0), forged.toString()).to.deep.equal({ ok: false, reason: 'forged' });
  });

  it('binds the lower-case task: an upper-case task parameter checks against the same token', () => {
    const query = signer.sign(TASK, 5_000);
    query.set(TOKEN_PARAMS.task, TASK.toUpperCase());
    expect(signer.check(query, 0)).to.deep.equal({ ok: true, taskKey: TASK });
  });

  it('keeps the secret out of the signer and its tokens', () => {
    const secret = 'a-test-secret-that-is-long-enough-0123456789';
    expect(JSON.stringify(signer)).to.not.include(secret);
    expect(signer.sign(TASK, 1).toString()).to.not.include(secret);
  });
});
