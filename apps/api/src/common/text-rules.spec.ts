import {
  MessageEmptyError,
  MessageInvalidError,
  MessageTooLongError,
  NickInvalidError,
  ValidationError,
} from './domain-errors';
import { assertMessageText, nickKeyOf, normalizeNick } from './text-rules';

describe('normalizeNick', () => {
  it('NFKC-normalizes and trims the display form', () => {
    expect(normalizeNick('  Ａｎｎ  ').nick).toBe('Ann');
  });
  it('gives case and NFKC variants one key', () => {
    expect(nickKeyOf('ANN')).toBe(nickKeyOf('ann'));
    expect(normalizeNick('Ａｎｎ').nickKey).toBe(normalizeNick('aNN').nickKey);
    expect(nickKeyOf('STRASSE')).toBe(nickKeyOf('straße'));
  });
  it('accepts 32 code points of emoji and refuses 33', () => {
    expect(normalizeNick('😀'.repeat(32)).nick).toHaveLength(64);
    expect(() => normalizeNick('😀'.repeat(33))).toThrow(NickInvalidError);
  });
  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['control character', 'a\u0007b'],
    ['newline', 'a\nb'],
    ['zero-width space', 'a\u200bb'],
    ['zero-width joiner', 'a\u200db'],
    ['bidi override', 'a\u202eb'],
    ['bidi isolate', '\u2066ab'],
    ['BOM inside', 'a\ufeffb'],
    ['lone surrogate', 'a\ud800'],
    ['line separator', 'a\u2028b'],
    ['combining grapheme joiner U+034F', 'admin\u034f'],
    ['variation selector-16', 'admin\ufe0f'],
    ['variation selector-1', 'admin\ufe00'],
    ['Hangul filler U+3164', '\u3164'],
    ['Hangul fillers U+115F U+1160', '\u115f\u1160'],
    ['Braille blank U+2800', '\u2800'],
    ['combining marks only', '\u0301\u0302\u0303'],
    ['five marks on one letter', 'a\u0301\u0302\u0303\u0304\u0305'],
  ])('refuses a nick with %s as NICK_INVALID', (_label, raw) => {
    expect(() => normalizeNick(raw)).toThrow(NickInvalidError);
  });
});

describe('nickKeyOf (confusable skeleton)', () => {
  it.each([
    ['Cyrillic а', '\u0430dmin'],
    ['Ukrainian і', 'adm\u0456n'],
    ['capitals and Cyrillic', 'ADM\u0406N'],
    ['digit one for l', 'pau1'],
  ])('gives %s the key of its Latin look-alike', (_label, nick) => {
    const latin = nick === 'pau1' ? 'paul' : 'admin';
    expect(nickKeyOf(nick)).toBe(nickKeyOf(latin));
  });
  it('keeps different-looking nicks apart', () => {
    expect(nickKeyOf('ann')).not.toBe(nickKeyOf('anna'));
    expect(nickKeyOf('bob')).not.toBe(nickKeyOf('rob'));
  });
});

describe('assertMessageText', () => {
  it('accepts 1000 code points and 1000 emoji', () => {
    expect(() => assertMessageText('a'.repeat(1000), 1000)).not.toThrow();
    expect(() => assertMessageText('😀'.repeat(1000), 1000)).not.toThrow();
  });
  it('rejects a 1001-code-point message with MESSAGE_TOO_LONG', () => {
    expect(() => assertMessageText('a'.repeat(1001), 1000)).toThrow(MessageTooLongError);
    expect(() => assertMessageText('😀'.repeat(1001), 1000)).toThrow(MessageTooLongError);
  });
  it('rejects empty, white-space and zero-width-only text with MESSAGE_EMPTY', () => {
    for (const text of ['', ' ', '\n\t ', '\u200b\u200b'])
      expect(() => assertMessageText(text, 1000)).toThrow(MessageEmptyError);
  });
  it('rejects Braille blanks, Hangul fillers and marks only with MESSAGE_EMPTY', () => {
    for (const text of ['\u2800'.repeat(10), '\u3164 \u3164', '\u0301\u0302'])
      expect(() => assertMessageText(text, 1000)).toThrow(MessageEmptyError);
  });
  it('rejects C0/C1 controls other than LF and TAB with MESSAGE_INVALID', () => {
    for (const text of ['\u0000', '\u0001'.repeat(1000), 'hi\u0007', 'a\rb', 'a\u0085b', 'a\u009bb'])
      expect(() => assertMessageText(text, 1000)).toThrow(MessageInvalidError);
    expect(() => assertMessageText('line one\n\tline two', 1000)).not.toThrow();
  });
  it('rejects more than 4 combining marks on one character with MESSAGE_INVALID, accepts 4', () => {
    expect(() => assertMessageText(`a${'\u0301'.repeat(999)}`, 1000)).toThrow(MessageInvalidError);
    expect(() => assertMessageText('a\u0301\u0302\u0303\u0304\u0305', 1000)).toThrow(MessageInvalidError);
    expect(() => assertMessageText('a\u0301\u0302\u0303\u0304 ok', 1000)).not.toThrow();
  });
  it('rejects lone surrogates with VALIDATION_ERROR', () => {
    expect(() => assertMessageText('hi \ud83d', 1000)).toThrow(ValidationError);
  });
  it('accepts combining marks and family emoji', () => {
    expect(() => assertMessageText('e\u0301 👨‍👩‍👧‍👦', 1000)).not.toThrow();
  });
});
