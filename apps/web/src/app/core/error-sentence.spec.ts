import { ERROR_CODES } from '@tiny-chat/shared-types';
import type { ClientError } from './client-error';
import { errorSentence, retryWhen } from './error-sentence';

describe('errorSentence', () => {
  it.each([...ERROR_CODES, 'DISCONNECTED', 'TIMEOUT', 'NETWORK'] as const)('has a human sentence for %s', (code) => {
    const sentence = errorSentence({ code, message: 'raw server text' });
    expect(sentence).toMatch(/^[A-Z].+\.$/);
    expect(sentence).not.toContain('raw server text');
    expect(sentence).not.toContain(code);
  });

  it('tells when to retry a RATE_LIMITED send from retryAfterMs', () => {
    expect(errorSentence({ code: 'RATE_LIMITED', message: '', retryAfterMs: 2300 })).toBe(
      'You are sending too fast. Try again in 3 seconds.',
    );
  });

  it('says "in a moment" when RATE_LIMITED comes without retryAfterMs', () => {
    expect(errorSentence({ code: 'RATE_LIMITED', message: '' })).toContain('in a moment');
  });

  it('names the nick problem for NICK_TAKEN', () => {
    const error: ClientError = { code: 'NICK_TAKEN', message: '' };
    expect(errorSentence(error)).toContain('already uses that nick');
  });
});

describe('retryWhen', () => {
  it.each([
    [undefined, 'in a moment'],
    [0, 'in a moment'],
    [-5, 'in a moment'],
    [400, 'in 1 second'],
    [1000, 'in 1 second'],
    [1001, 'in 2 seconds'],
    [59_000, 'in 59 seconds'],
    [60_000, 'in 1 minute'],
    [61_000, 'in 2 minutes'],
  ])('words %s ms as "%s"', (ms, expected) => {
    expect(retryWhen(ms)).toBe(expected);
  });
});
