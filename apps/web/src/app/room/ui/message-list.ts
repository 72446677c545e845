/** The message list: renders lines as text only, follows the newest message at the bottom, offers a pill otherwise. */
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { ChatLine } from '../chat-lines';
import { ClockTimePipe, FullTimePipe, LinkSegmentsPipe, MentionSegmentsPipe } from './text-pipes';

/** How close to the end (px) still counts as "reading the newest". */
const BOTTOM_SLACK = 48;

@Component({
  selector: 'tc-message-list',
  imports: [LinkSegmentsPipe, MentionSegmentsPipe, ClockTimePipe, FullTimePipe],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageList {
  readonly lines = input.required<ChatLine[]>();
  /** Current members' nicks (what an @mention can name) and mine (mentions of me stand out). */
  readonly nicks = input<readonly string[]>([]);
  readonly myNick = input('');
  /** The "New" divider goes above this message: the first that arrived while the tab was hidden. */
  readonly newSinceId = input<number | null>(null);
  readonly retry = output<string>();

  protected readonly unseen = signal(0);
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private atBottom = true;
  private renderedKeys = new Set<string>();

  constructor() {
    afterRenderEffect(() => {
      const lines = this.lines();
      const fresh = lines.filter((l) => !this.renderedKeys.has(l.key));
      this.renderedKeys = new Set(lines.map((l) => l.key));
      if (fresh.length === 0) return;
      // Our own new line always brings the view down; other people's only when we were already there.
      const ownFresh = fresh.some((l) => l.own && l.status === 'sending');
      if (this.atBottom || ownFresh) this.scrollToBottom();
      else this.unseen.update((n) => n + fresh.filter((l) => !l.own && l.kind === 'message').length);
    });
  }

  protected onScroll(): void {
    const el = this.scroller().nativeElement;
    this.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    if (this.atBottom) this.unseen.set(0);
  }

  protected scrollToBottom(): void {
    const el = this.scroller().nativeElement;
    el.scrollTop = el.scrollHeight;
    this.atBottom = true;
    this.unseen.set(0);
  }

  protected statusLabel(line: ChatLine): string {
    switch (line.status) {
      case 'sending':
        return 'sending…';
      case 'failed':
        return 'failed';
      case 'waiting':
        return line.retryInMs === null
          ? 'waiting for connection'
          : `waiting · sends in ${Math.max(1, Math.ceil(line.retryInMs / 1000))} s`;
      default:
        return 'sent';
    }
  }
}
