import { base64UrlLength, isEnvelope, maxEnvelopeLength } from './envelope';

const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64url');

describe('envelopes of encrypted rooms', () => {
  it('knows base64url lengths without padding', () => {
    for (let n = 0; n < 50; n++) expect(base64UrlLength(n)).toBe(b64(n).length);
  });

  it('accepts e1.<12-byte IV>.<ciphertext+tag> and nothing else', () => {
    expect(isEnvelope(`e1.${b64(12)}.${b64(17)}`)).toBe(true);
    expect(isEnvelope(`e1.${b64(12)}.${b64(300)}`)).toBe(true);
    expect(isEnvelope(`e1.${b64(12)}.${b64(16)}`)).toBe(false); // a tag and no plaintext
    expect(isEnvelope(`e1.${b64(11)}.${b64(40)}`)).toBe(false);
    expect(isEnvelope(`e2.${b64(12)}.${b64(40)}`)).toBe(false);
    expect(isEnvelope(`e1.${b64(12)}.${b64(40)}=`)).toBe(false);
    expect(isEnvelope(`e1.${b64(12)}.${b64(40)}A`.slice(0, -1) + '+')).toBe(false);
    expect(isEnvelope(`e1.${b64(12)}.${b64(40)}.x`)).toBe(false);
    expect(isEnvelope(`e1.${b64(12)}.${'A'.repeat(25)}`)).toBe(false); // 25 = 1 mod 4: no base64url
    expect(isEnvelope('hello')).toBe(false);
  });

  it('bounds an envelope by what the longest plaintext produces', () => {
    expect(maxEnvelopeLength(64)).toBe(`e1.${b64(12)}.${b64(4 * 64 + 16)}`.length);
  });
});
