import { limitNick, nickLength } from './nick-rules';

describe('limitNick', () => {
  it('keeps 32 code points and cuts the 33rd, counting an emoji as one', () => {
    expect(limitNick('a'.repeat(32))).toBe('a'.repeat(32));
    expect(limitNick('a'.repeat(64))).toBe('a'.repeat(32));
    expect(limitNick('😀'.repeat(40))).toBe('😀'.repeat(32));
  });

  it('counts the NFKC form the server checks, so a ligature counts as its letters', () => {
    expect(nickLength('ﬁ')).toBe(2);
    expect(nickLength(limitNick('ﬁ'.repeat(20)))).toBeLessThanOrEqual(32);
    expect(limitNick('ﬁ'.repeat(20))).toBe('ﬁ'.repeat(16));
  });
});
