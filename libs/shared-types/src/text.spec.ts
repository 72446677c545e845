import { countCodePoints, hasLoneSurrogate, isBlankText } from './text';

describe('countCodePoints', () => {
  it('counts an emoji outside the BMP as one code point', () => {
    expect(countCodePoints('😀'.repeat(1000))).toBe(1000);
  });
  it('counts each part of a family emoji (ZWJ sequence) as its own code point', () => {
    expect(countCodePoints('👨‍👩‍👧')).toBe(5);
  });
  it('counts a lone surrogate as one code point', () => {
    expect(countCodePoints('a\ud800b')).toBe(3);
  });
  it('agrees with the string iterator', () => {
    const sample = 'héllo 😀 e\u0301 \ud83d x';
    expect(countCodePoints(sample)).toBe([...sample].length);
  });
});

describe('isBlankText', () => {
  it.each([
    '',
    ' ',
    '\n\t',
    '\u200b',
    '\u00a0\u3000',
    '\ufeff',
    '\u2800\u2800',
    '\u3164',
    '\u115f\u1160',
    '\u0301\u0302',
  ])('treats %j as blank', (text) => {
    expect(isBlankText(text)).toBe(true);
  });
  it.each(['a', ' . ', '😀'])('treats %j as content', (text) => {
    expect(isBlankText(text)).toBe(false);
  });
});

describe('hasLoneSurrogate', () => {
  it('finds a lone high or low surrogate but accepts a pair', () => {
    expect(hasLoneSurrogate('\ud800')).toBe(true);
    expect(hasLoneSurrogate('x\udc00')).toBe(true);
    expect(hasLoneSurrogate('😀')).toBe(false);
  });
});
