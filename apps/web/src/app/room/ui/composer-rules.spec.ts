import { checkComposer } from './composer-rules';

describe('checkComposer', () => {
  it('allows exactly the limit of ASCII characters', () => {
    expect(checkComposer('a'.repeat(1000), 1000)).toMatchObject({ count: 1000, over: false, canSend: true });
  });

  it('blocks 1001 characters', () => {
    expect(checkComposer('a'.repeat(1001), 1000)).toMatchObject({ count: 1001, over: true, canSend: false });
  });

  it('counts 1000 emoji as 1000 (code points, not UTF-16 units) and allows them', () => {
    const text = '😀'.repeat(1000);
    expect(text.length).toBe(2000);
    expect(checkComposer(text, 1000)).toMatchObject({ count: 1000, over: false, canSend: true });
  });

  it('blocks empty and blank text, including zero-width spaces', () => {
    for (const text of ['', '   ', '\n\n', '\u200b']) {
      expect(checkComposer(text, 1000)).toMatchObject({ blank: true, canSend: false });
    }
  });
});
