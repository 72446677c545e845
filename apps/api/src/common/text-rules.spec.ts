import { MessageEmptyError, MessageTooLongError, NickInvalidError, ValidationError } from './domain-errors';
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
  ])('refuses a nick with %s as NICK_INVALID', (_label, raw) => {
    expect(() => normalizeNick(raw)).toThrow(NickInvalidError);
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
  it('rejects lone surrogates with VALIDATION_ERROR', () => {
    expect(() => assertMessageText('hi \ud83d', 1000)).toThrow(ValidationError);
  });
  it('accepts combining marks and family emoji', () => {
    expect(() => assertMessageText('e\u0301 👨‍👩‍👧‍👦', 1000)).not.toThrow();
  });
});
