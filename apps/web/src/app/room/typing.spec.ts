import { TYPING_SHOWN_MS, typingLine, withoutAuthors, withTypist } from './typing';

describe('typing line', () => {
  it('names one or two typists and counts three or more', () => {
    let typists = withTypist([], 'Ana', 0);
    expect(typingLine(typists, 0)).toBe('Ana is typing...');
    typists = withTypist(typists, 'Ben', 100);
    expect(typingLine(typists, 100)).toBe('Ana and Ben are typing...');
    typists = withTypist(typists, 'Cy', 200);
    expect(typingLine(typists, 200)).toBe('3 people are typing...');
    expect(typingLine([], 0)).toBe('');
  });

  it('drops a typist 5 s after their last room:typing, or when their message arrives', () => {
    let typists = withTypist([], 'Ana', 0);
    typists = withTypist(typists, 'Ben', 3000);
    typists = withTypist(typists, 'Ana', 4000);
    expect(typists.map((t) => t.nick)).toEqual(['Ben', 'Ana']);
    expect(typingLine(typists, 3000 + TYPING_SHOWN_MS)).toBe('Ana is typing...');
    expect(typingLine(typists, 4000 + TYPING_SHOWN_MS)).toBe('');
    expect(typingLine(withoutAuthors(typists, ['Ana']), 5000)).toBe('Ben is typing...');
  });
});
