import { splitLinks } from './link-segments';

describe('splitLinks', () => {
  it('keeps plain text as one text segment', () => {
    expect(splitLinks('hello\nworld')).toEqual([{ kind: 'text', text: 'hello\nworld' }]);
  });

  it('turns http and https URLs into link segments between text', () => {
    expect(splitLinks('see https://example.com/a?b=1#c and http://x.org now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('leaves sentence punctuation and an unbalanced closing parenthesis outside the link', () => {
    expect(splitLinks('(see https://example.com/docs).')).toEqual([
      { kind: 'text', text: '(see ' },
      { kind: 'link', text: 'https://example.com/docs', href: 'https://example.com/docs' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('keeps balanced parentheses inside a link', () => {
    const [link] = splitLinks('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(link).toEqual({
      kind: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    });
  });

  it('links www. addresses as https, leaving the trailing full stop outside', () => {
    expect(splitLinks('see www.example.org.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'www.example.org', href: 'https://www.example.org/' },
      { kind: 'text', text: '.' },
    ]);
    expect(splitLinks('http://www.example.org/a')).toEqual([
      { kind: 'link', text: 'http://www.example.org/a', href: 'http://www.example.org/a' },
    ]);
  });

  it('never links javascript:, data: or other schemes', () => {
    const text = 'javascript:alert(1) data:text/html,x ftp://x.org mailto:a@b.c';
    expect(splitLinks(text)).toEqual([{ kind: 'text', text }]);
  });

  it('keeps markup as text and stops a URL at an angle bracket or quote', () => {
    expect(splitLinks('<a href="https://evil.example/x">y</a>')).toEqual([
      { kind: 'text', text: '<a href="' },
      { kind: 'link', text: 'https://evil.example/x', href: 'https://evil.example/x' },
      { kind: 'text', text: '">y</a>' },
    ]);
  });

  it('reassembles to the original text', () => {
    const text = 'a https://x.io/😀 b\nhttps://y.io, c';
    expect(
      splitLinks(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });
});
