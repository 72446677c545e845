import { TestBed } from '@angular/core/testing';
import { MessageList } from './message-list';
import type { ChatLine } from '../chat-lines';

function line(overrides: Partial<ChatLine>): ChatLine {
  return {
    kind: 'message',
    key: 'm1',
    id: 1,
    nick: 'bob',
    tag: null,
    text: '',
    sentAt: '2026-03-01T10:00:00Z',
    own: false,
    mentionsMe: false,
    status: null,
    showStatus: false,
    grouped: false,
    error: null,
    retryInMs: null,
    clientMsgId: null,
    ...overrides,
  };
}

async function render(lines: ChatLine[], inputs: Record<string, unknown> = {}): Promise<HTMLElement> {
  const fixture = TestBed.createComponent(MessageList);
  fixture.componentRef.setInput('lines', lines);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

describe('MessageList', () => {
  it('highlights @mentions of members (mine apart), never inside a link, and marks a message that mentions me', async () => {
    const el = await render(
      [
        line({ key: 'm1', id: 1, text: 'hi @ana and @BEN, see https://x.example/@ana', mentionsMe: true }),
        line({ key: 'm2', id: 2, text: 'mail me at x@ana.example' }),
      ],
      { nicks: ['Ana', 'Ben'], myNick: 'Ana' },
    );
    const mentions = Array.from(el.querySelectorAll('mark.mention')).map((m) => [
      m.textContent,
      m.classList.contains('me'),
    ]);
    expect(mentions).toEqual([
      ['@ana', true],
      ['@BEN', false],
    ]);
    expect(el.querySelector('a')?.textContent).toBe('https://x.example/@ana');
    const items = el.querySelectorAll('li.msg');
    expect(items[0]?.classList.contains('mentions-me')).toBe(true);
    expect(items[0]?.querySelector('.text')?.textContent).toBe('hi @ana and @BEN, see https://x.example/@ana');
    expect(items[1]?.classList.contains('mentions-me')).toBe(false);
  });

  it('puts the "New" divider above the first message that arrived while the tab was hidden', async () => {
    const el = await render([line({ key: 'm1', id: 1 }), line({ key: 'm2', id: 2 }), line({ key: 'm3', id: 3 })], {
      newSinceId: 2,
    });
    const items = Array.from(el.querySelectorAll('ol > li')).map((li) => li.className.split(' ')[0]);
    expect(items).toEqual(['msg', 'new-divider', 'msg', 'msg']);
    expect(el.querySelector('.new-divider')?.textContent?.trim()).toBe('New');
  });

  it('shows markup in a message as literal text and creates no element from it', async () => {
    const text = '<img src=x onerror=window.__xss=1> <script>window.__xss=1</script>';
    const el = await render([line({ text })]);
    expect(el.querySelector('.text')?.textContent).toBe(text);
    expect(el.querySelector('img, script')).toBeNull();
  });

  it('renders http(s) links as anchors opening a new tab with noopener noreferrer, keeping newlines', async () => {
    const el = await render([line({ text: 'look\nhttps://example.com/x done' })]);
    const anchors = el.querySelectorAll('a');
    expect(anchors).toHaveLength(1);
    expect(anchors[0]?.getAttribute('href')).toBe('https://example.com/x');
    expect(anchors[0]?.getAttribute('target')).toBe('_blank');
    expect(anchors[0]?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(el.querySelector('.text')?.textContent).toBe('look\nhttps://example.com/x done');
  });

  it('puts nicks inside <bdi>, marks own lines and offers retry for a failed one', async () => {
    const el = await render([
      line({ nick: '\u202eevil' }),
      line({
        key: 'cabc',
        id: null,
        nick: 'ann',
        own: true,
        status: 'failed',
        showStatus: true,
        error: 'Nope.',
        clientMsgId: 'abc',
        sentAt: null,
      }),
    ]);
    expect(el.querySelector('bdi.nick')?.textContent).toBe('\u202eevil');
    const own = el.querySelector('.msg.own');
    expect(own?.querySelector('.status')?.textContent).toBe('failed');
    expect(own?.querySelector('button')?.textContent).toContain('Retry');
  });

  it('shows a tag after a shared nick, one header per group, and a live countdown on a waiting message', async () => {
    const el = await render([
      line({ key: 'm1', nick: 'Bob', tag: '#abcd' }),
      line({ key: 'm2', nick: 'Bob', tag: '#abcd', grouped: true }),
      line({
        key: 'cx',
        id: null,
        nick: 'ann',
        own: true,
        status: 'waiting',
        showStatus: true,
        retryInMs: 2100,
        clientMsgId: 'x',
        sentAt: null,
      }),
    ]);
    const items = el.querySelectorAll('li.msg');
    expect(items[0]?.querySelector('.tag')?.textContent).toBe('#abcd');
    expect(items[1]?.querySelector('.meta')).toBeNull();
    expect(items[2]?.querySelector('.status')?.textContent).toBe('waiting · sends in 3 s');
    expect(items[2]?.querySelector('button')).toBeNull();
  });

  it('is a polite live region', async () => {
    const el = await render([]);
    expect(el.querySelector('ol')?.getAttribute('aria-live')).toBe('polite');
  });
});
