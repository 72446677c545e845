import { countCodePoints, hasLoneSurrogate, isBlankText } from '@tiny-chat/shared-types';
import fc from 'fast-check';
import {
  DomainError,
  MessageEmptyError,
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
);

describe('message text rules (properties)', () => {
  it('accepts exactly the well-formed, non-blank texts of at most the limit, else throws the precise error', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 40 }), (text, max) => {
        const expected =
          countCodePoints(text) > max
            ? MessageTooLongError
            : hasLoneSurrogate(text)
              ? ValidationError
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
        expect(/[\p{Cc}\p{Cf}\p{Cs}]/u.test(result.nick)).toBe(false);
        expect(normalizeNick(result.nick)).toEqual(result);
      }),
      { numRuns: 2000 },
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
