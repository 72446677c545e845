import { TestBed } from '@angular/core/testing';
import { MessageList } from './message-list';
import type { ChatLine } from '../chat-lines';

function line(overrides: Partial<ChatLine>): ChatLine {
  return {
    key: 'm1',
    id: 1,
    nick: 'bob',
    tag: null,
    text: '',
    sentAt: '2026-03-01T10:00:00Z',
    own: false,
    status: null,
    showStatus: false,
    grouped: false,
    error: null,
    retryInMs: null,
    clientMsgId: null,
    ...overrides,
  };
}

async function render(lines: ChatLine[]): Promise<HTMLElement> {
  const fixture = TestBed.createComponent(MessageList);
  fixture.componentRef.setInput('lines', lines);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

describe('MessageList', () => {
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
