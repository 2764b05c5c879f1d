/**
 * Fresh task UUIDs (v4), as Runware asks clients to generate them.
 *
 * @module
 */

/**
 * A UUID v4 from the platform's CSPRNG: `crypto.randomUUID()` where it exists (Node >= 20, browsers in
 * secure contexts), otherwise built from `crypto.getRandomValues` (browsers on plain http). Throws a
 * TypeError when the platform has neither; pass the client a `uuid` factory then.
 */
export function randomTaskUUID(): string {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new TypeError('runware-rx: no crypto.randomUUID or crypto.getRandomValues here: pass createRunwareClient a uuid factory');
  }
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10 in the top bits of byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
