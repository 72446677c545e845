import type { MentionSegment } from './mentions';
import { completeMention, mentionCandidates, mentionQuery, mentionsMe, splitMentions } from './mentions';
import type { TextSegment } from './ui/link-segments';
import { splitLinks } from './ui/link-segments';

const MEMBERS = ['Ana', 'Ana Maria', 'Ben', 'Cy'];

describe('splitMentions', () => {
  it('finds a member mention case-insensitively, keeping the typed text and the member spelling', () => {
    expect(splitMentions('hi @ana!', MEMBERS, 'Ben')).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@ana', nick: 'Ana', me: false },
      { kind: 'text', text: '!' },
    ]);
    expect(splitMentions('@BEN', MEMBERS, 'Cy')).toEqual([{ kind: 'mention', text: '@BEN', nick: 'Ben', me: false }]);
  });

  it('lets the longest matching nick win, nicks with spaces included', () => {
    expect(splitMentions('@ana maria hi', MEMBERS, 'Cy')).toEqual([
      { kind: 'mention', text: '@ana maria', nick: 'Ana Maria', me: false },
      { kind: 'text', text: ' hi' },
    ]);
    // Order of the member list does not matter.
    expect(splitMentions('@Ana Maria', ['Ana', 'Ana Maria'], '')[0]).toMatchObject({ nick: 'Ana Maria' });
    expect(splitMentions('@Ana Maria', ['Ana Maria', 'Ana'], '')[0]).toMatchObject({ nick: 'Ana Maria' });
    // "Ana Mar" is not "Ana Maria": the shorter nick still matches.
    expect(splitMentions('@Ana Mar', MEMBERS, '')).toEqual([
      { kind: 'mention', text: '@Ana', nick: 'Ana', me: false },
      { kind: 'text', text: ' Mar' },
    ]);
  });

  it('needs a non-word character (or the start) before the @', () => {
    expect(splitMentions('x@ana', MEMBERS, '')).toEqual([{ kind: 'text', text: 'x@ana' }]);
    expect(splitMentions('mail_@ana', MEMBERS, '')).toEqual([{ kind: 'text', text: 'mail_@ana' }]);
    expect(splitMentions('é@ana', MEMBERS, '')).toEqual([{ kind: 'text', text: 'é@ana' }]);
    expect(splitMentions('(@ana)', MEMBERS, '')).toEqual([
      { kind: 'text', text: '(' },
      { kind: 'mention', text: '@ana', nick: 'Ana', me: false },
      { kind: 'text', text: ')' },
    ]);
  });

  it('needs a non-word character (or the end) after the nick', () => {
    expect(splitMentions('@Anabel hi', MEMBERS, '')).toEqual([{ kind: 'text', text: '@Anabel hi' }]);
    expect(splitMentions('@Ana_', MEMBERS, '')).toEqual([{ kind: 'text', text: '@Ana_' }]);
    expect(splitMentions('@Ana2', MEMBERS, '')).toEqual([{ kind: 'text', text: '@Ana2' }]);
    expect(splitMentions('@Anabel hi', [...MEMBERS, 'Anabel'], '')[0]).toEqual({
      kind: 'mention',
      text: '@Anabel',
      nick: 'Anabel',
      me: false,
    });
    expect(splitMentions('mail@ana.com', MEMBERS, '')).toEqual([{ kind: 'text', text: 'mail@ana.com' }]);
    expect(splitMentions('@ana.', MEMBERS, '')).toEqual([
      { kind: 'mention', text: '@ana', nick: 'Ana', me: false },
      { kind: 'text', text: '.' },
    ]);
  });

  it('finds several mentions in one text and marks mine', () => {
    expect(splitMentions('@Ben and @cy, @ben again @@ana', MEMBERS, 'ben')).toEqual([
      { kind: 'mention', text: '@Ben', nick: 'Ben', me: true },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@cy', nick: 'Cy', me: false },
      { kind: 'text', text: ', ' },
      { kind: 'mention', text: '@ben', nick: 'Ben', me: true },
      { kind: 'text', text: ' again @' },
      { kind: 'mention', text: '@ana', nick: 'Ana', me: false },
    ]);
  });

  it('matches nicks with regex-special characters literally', () => {
    const nicks = ['a.b+(c)', 'x*'];
    expect(splitMentions('hey @A.B+(C) and @x*!', nicks, '')).toEqual([
      { kind: 'text', text: 'hey ' },
      { kind: 'mention', text: '@A.B+(C)', nick: 'a.b+(c)', me: false },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@x*', nick: 'x*', me: false },
      { kind: 'text', text: '!' },
    ]);
    expect(splitMentions('@aXb+(c)', nicks, '')).toEqual([{ kind: 'text', text: '@aXb+(c)' }]);
    expect(splitMentions('@xx', nicks, '')).toEqual([{ kind: 'text', text: '@xx' }]);
  });

  it('compares NFKC lower-cased forms, also for non-ASCII nicks', () => {
    expect(splitMentions('@ZOË ok', ['Zoë'], '')[0]).toMatchObject({ kind: 'mention', nick: 'Zoë' });
    // Full-width letters fold to ASCII under NFKC.
    expect(splitMentions('@Ａｎａ', ['Ana'], '')[0]).toMatchObject({ kind: 'mention', nick: 'Ana' });
    // İ lower-cases to two code units: compared per candidate, so it still matches without shifting the end.
    expect(splitMentions('@İLKER!', ['İlker'], '')).toEqual([
      { kind: 'mention', text: '@İLKER', nick: 'İlker', me: false },
      { kind: 'text', text: '!' },
    ]);
    expect(splitMentions('@😀ana', MEMBERS, '')).toEqual([{ kind: 'text', text: '@😀ana' }]);
    expect(splitMentions('😀@ana', MEMBERS, '')[1]).toMatchObject({ kind: 'mention', nick: 'Ana' });
  });

  it('gives one text segment without members or mentions, and [] for empty text', () => {
    expect(splitMentions('hi @ana', [], 'Ana')).toEqual([{ kind: 'text', text: 'hi @ana' }]);
    expect(splitMentions('hi @bob', MEMBERS, 'Ana')).toEqual([{ kind: 'text', text: 'hi @bob' }]);
    expect(splitMentions('@', MEMBERS, 'Ana')).toEqual([{ kind: 'text', text: '@' }]);
    expect(splitMentions('@ana', ['', 'Ana'], '')).toHaveLength(1);
    expect(splitMentions('', MEMBERS, 'Ana')).toEqual([]);
  });

  it("composes with splitLinks: only 'text' segments are split", () => {
    const segments = splitLinks('@ana see https://x.y/@ana').flatMap<MentionSegment | TextSegment>((segment) =>
      segment.kind === 'text' ? splitMentions(segment.text, MEMBERS, 'Ana') : [segment],
    );
    expect(segments.map((s) => s.kind)).toEqual(['mention', 'text', 'link']);
  });
});

describe('mentionsMe', () => {
  it('is true only for a mention of my nick, in any case', () => {
    expect(mentionsMe('hey @ANA', MEMBERS, 'Ana')).toBe(true);
    expect(mentionsMe('hey @Ana Maria', MEMBERS, 'Ana')).toBe(false);
    expect(mentionsMe('hey @Ana Maria', MEMBERS, 'Ana Maria')).toBe(true);
    expect(mentionsMe('hey Ana', MEMBERS, 'Ana')).toBe(false);
    expect(mentionsMe('x@ana', MEMBERS, 'Ana')).toBe(false);
    expect(mentionsMe('', MEMBERS, 'Ana')).toBe(false);
  });

  it('ignores an @ inside a link, as rendering does', () => {
    expect(mentionsMe('https://x.y/@ana', MEMBERS, 'Ana')).toBe(false);
    expect(mentionsMe('https://x.y/@ana @ana', MEMBERS, 'Ana')).toBe(true);
  });
});

describe('mentionQuery', () => {
  it('answers the query from after the @ to the caret', () => {
    expect(mentionQuery('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('@an', 3)).toEqual({ start: 0, query: 'an' });
    // Mid-text: only what is before the caret counts.
    expect(mentionQuery('hi @ana there', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionQuery('hi @ana maria', 13)).toEqual({ start: 3, query: 'ana maria' });
    expect(mentionQuery('a\n@b', 4)).toEqual({ start: 2, query: 'b' });
  });

  it('is null when the caret is not in a mention', () => {
    expect(mentionQuery('hi @an', 3)).toBeNull();
    expect(mentionQuery('hi @an', 0)).toBeNull();
    expect(mentionQuery('@an', 0)).toBeNull();
    expect(mentionQuery('hi', 2)).toBeNull();
    expect(mentionQuery('x@a', 3)).toBeNull();
    expect(mentionQuery('mail me at x@ana.com', 16)).toBeNull();
    expect(mentionQuery('@an\nx', 5)).toBeNull();
    expect(mentionQuery('@ an', 4)).toBeNull();
    expect(mentionQuery(`@${'a'.repeat(33)}`, 34)).toBeNull();
    expect(mentionQuery(`@${'a'.repeat(32)}`, 33)).toEqual({ start: 0, query: 'a'.repeat(32) });
    expect(mentionQuery('@an', 9)).toBeNull();
  });
});

describe('mentionCandidates', () => {
  const nicks = ['bob', 'Anabel', 'Ben', 'Ana Maria', 'Hannah', 'ana', 'Ben', 'Me'];

  it('offers prefix matches alphabetically, then other substring matches, case-insensitively', () => {
    expect(mentionCandidates('AN', nicks, 'Me')).toEqual(['ana', 'Ana Maria', 'Anabel', 'Hannah']);
    expect(mentionCandidates('ana m', nicks, 'Me')).toEqual(['Ana Maria']);
    expect(mentionCandidates('zz', nicks, 'Me')).toEqual([]);
  });

  it('offers everyone but me for an empty query, each nick once, at most limit', () => {
    expect(mentionCandidates('', nicks, 'Me')).toEqual(['ana', 'Ana Maria', 'Anabel', 'Ben', 'bob', 'Hannah']);
    expect(mentionCandidates('', nicks, 'me', 10)).toEqual(['ana', 'Ana Maria', 'Anabel', 'Ben', 'bob', 'Hannah']);
    expect(mentionCandidates('', nicks, 'Ben', 3)).toEqual(['ana', 'Ana Maria', 'Anabel']);
    expect(mentionCandidates('b', nicks, 'Ben')).toEqual(['bob', 'Anabel']);
    expect(mentionCandidates('', nicks, 'Me', 0)).toEqual([]);
  });
});

describe('completeMention', () => {
  it('replaces the query with the nick and a space, caret after the space', () => {
    expect(completeMention('hi @an', 3, 6, 'Ana Maria')).toEqual({ text: 'hi @Ana Maria ', caret: 14 });
    const text = 'hi @an, how are you';
    const query = mentionQuery(text, 6);
    expect(query).toEqual({ start: 3, query: 'an' });
    expect(completeMention(text, 3, 6, 'Ana')).toEqual({ text: 'hi @Ana , how are you', caret: 8 });
    expect(completeMention('@', 0, 1, 'Ben')).toEqual({ text: '@Ben ', caret: 5 });
  });
});
