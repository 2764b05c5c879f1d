import { expect } from 'chai';
import { apiKeyIn, requireApiKey } from '../../src/cli/apiKeyOption.js';
import { UsageError } from '../../src/cli/usageError.js';
import { bufferIo } from '../helpers/bufferIo.js';

describe('cli apiKeyOption', () => {
  it('finds the key in the raw arguments (the last one wins, nothing after --), else in RUNWARE_API_KEY', () => {
    const io = bufferIo({ RUNWARE_API_KEY: 'from-the-environment' });
    expect(apiKeyIn(['--json', '--api-key', 'first-key-1', '--api-key=second-key-2'], io)).to.equal('second-key-2');
    expect(apiKeyIn(['--', '--api-key', 'not-an-option'], io)).to.equal('from-the-environment');
    expect(apiKeyIn([], bufferIo({}))).to.equal(undefined);
  });

  it('prefers --api-key to RUNWARE_API_KEY, and refuses when neither gives a key', () => {
    expect(requireApiKey({ 'api-key': 'flag-key-123' }, bufferIo({ RUNWARE_API_KEY: 'env-key-456' }))).to.equal('flag-key-123');
    expect(requireApiKey({}, bufferIo({ RUNWARE_API_KEY: 'env-key-456' }))).to.equal('env-key-456');
    expect(() => requireApiKey({}, bufferIo({ RUNWARE_API_KEY: ' ' }))).to.throw(UsageError, 'no API key: pass --api-key or set RUNWARE_API_KEY');
    expect(() => requireApiKey({ 'api-key': '' }, bufferIo({}))).to.throw(UsageError, '--api-key needs a value');
  });
});
