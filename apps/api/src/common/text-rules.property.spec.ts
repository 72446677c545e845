import { countCodePoints, hasLoneSurrogate, isBlankText } from '@tiny-chat/shared-types';
import fc from 'fast-check';
import {
  DomainError,
  MessageEmptyError,
  MessageInvalidError,
  MessageTooLongError,
  NickInvalidError,
  ValidationError,
} from './domain-errors';
import { assertMessageText, nickKeyOf, normalizeNick } from './text-rules';

/** Strings of any UTF-16 units, lone surrogates included, plus full Unicode and white space. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(' ', '\n', '\u200b', 'a', '😀', 'e\u0301', '\ud800', '\u202e'), maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      'a',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u0085',
      '\u0301',
      '\u0308',
      '\u2800',
      '\u3164',
      '\ufe0f',
    ),
    maxLength: 40,
  }),
);

/** An independent statement of MESSAGE_INVALID: a C0/C1 control other than TAB and LF, or 5+ marks in a row (NFD). */
function isInvalidText(text: string): boolean {
  let marksInARow = 0;
  for (const char of text.normalize('NFD')) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 || (code >= 0x7f && code <= 0x9f)) && char !== '\t' && char !== '\n') return true;
    marksInARow = /\p{M}/u.test(char) ? marksInARow + 1 : 0;
    if (marksInARow > 4) return true;
  }
  return false;
}

describe('message text rules (properties)', () => {
  it('accepts exactly the well-formed, non-blank texts of at most the limit, else throws the precise error', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 40 }), (text, max) => {
        const expected =
          countCodePoints(text) > max
            ? MessageTooLongError
            : hasLoneSurrogate(text)
              ? ValidationError
              : isInvalidText(text)
                ? MessageInvalidError
                : isBlankText(text)
                  ? MessageEmptyError
                  : undefined;
        if (expected) expect(() => assertMessageText(text, max)).toThrow(expected);
        else expect(() => assertMessageText(text, max)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('nick rules (properties)', () => {
  it('either refuses with NICK_INVALID or yields a clean 1-32 code point nick that normalizes to itself', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        let result;
        try {
          result = normalizeNick(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(NickInvalidError);
          expect((error as DomainError).code).toBe('NICK_INVALID');
          return;
        }
        const length = countCodePoints(result.nick);
        expect(length).toBeGreaterThanOrEqual(1);
        expect(length).toBeLessThanOrEqual(32);
        expect(result.nick).toBe(result.nick.trim());
        expect(/[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u2800]/u.test(result.nick)).toBe(false);
        expect(/[\p{L}\p{N}\p{S}\p{P}]/u.test(result.nick)).toBe(true);
        expect(normalizeNick(result.nick)).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a Latin nick and its Cyrillic look-alike the same key', () => {
    const toCyrillic: Record<string, string> = {
      a: '\u0430',
      e: '\u0435',
      o: '\u043e',
      p: '\u0440',
      c: '\u0441',
      i: '\u0456',
    };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'e', 'o', 'p', 'c', 'i', 'd', 'm', 'n'), minLength: 1, maxLength: 20 }),
        (latin) => {
          const lookAlike = [...latin].map((char) => toCyrillic[char] ?? char).join('');
          expect(nickKeyOf(lookAlike)).toBe(nickKeyOf(latin));
        },
      ),
    );
  });

  it('gives case variants of a valid nick the same key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }), (raw) => {
        fc.pre(raw.trim().length > 0);
        expect(nickKeyOf(raw.toUpperCase())).toBe(nickKeyOf(raw.toLowerCase()));
      }),
    );
  });
});
