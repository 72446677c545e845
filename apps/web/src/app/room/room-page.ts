/** The room page (/r/:roomId): wires the RoomStore to the presentational pieces; owns no chat state itself. */
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  OnInit,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { Title } from '@angular/platform-browser';
import { CloseRoom } from '../account/close-room';
import { keyFromFragment, KEY_FRAGMENT_PARAM } from '../core/room-crypto';
import { RoomLauncher, type RoomEntryState } from '../core/room-launcher';
import { RoomStore } from './room-store';
import { Composer } from './ui/composer';
import { MemberList } from './ui/member-list';
import { MessageList } from './ui/message-list';
import { NickPrompt } from './ui/nick-prompt';
import { NotifyMenu } from './ui/notify-menu';
import { RoomEnded } from './ui/room-ended';
import { RoomLife } from './ui/room-life';
import { SharePanel } from './ui/share-panel';
import { TranscriptDownload } from './ui/transcript-download';
import { formatCountdown } from './ui/time-format';

@Component({
  selector: 'tc-room-page',
  imports: [
    RouterLink,
    CloseRoom,
    Composer,
    MemberList,
    MessageList,
    NickPrompt,
    NotifyMenu,
    RoomEnded,
    RoomLife,
    SharePanel,
    TranscriptDownload,
  ],
  providers: [RoomStore],
  templateUrl: './room-page.html',
  styleUrl: './room-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown.escape)': 'onEscape()' },
})
export class RoomPage implements OnInit {
  readonly roomId = input.required<string>();

  protected readonly store = inject(RoomStore);
  protected readonly launcher = inject(RoomLauncher);
  protected readonly infoOpen = signal(false);
  /** "Leave room" asks first: on a phone it sits next to "Invite & members". */
  protected readonly confirmingLeave = signal(false);
  /** The room's link; an encrypted room's carries its key in the fragment, which browsers never send to a server. */
  protected readonly shareUrl = computed(() => {
    const url = `${this.document.location.origin}/r/${encodeURIComponent(this.roomId())}`;
    const key = this.store.linkKey();
    return key ? `${url}#${KEY_FRAGMENT_PARAM}=${key}` : url;
  });
  protected readonly transcript = () => this.store.transcript();
  protected readonly closesIn = computed(() => {
    const ms = this.store.closesInMs();
    return ms === null ? null : formatCountdown(ms);
  });

  /** The maximum age's own countdown: the idle deadline may come sooner, but "Keep this room open" can move that one. */
  protected readonly maxAgeIn = computed(() => {
    const ms = this.store.ttlLeftMs();
    return ms === null ? null : formatCountdown(ms);
  });

  protected readonly endedSentence = computed(() => {
    switch (this.store.closedReason()) {
      case 'idle':
        return 'This room closed because nobody wrote anything for a while.';
      case 'ttl':
        return 'This room reached its maximum age and closed.';
      case 'closed':
        return 'The person who created this room closed it.';
      case 'restart':
        return 'This room was lost when the server restarted.';
      default:
        return 'This room is no longer available.';
    }
  });

  private readonly document = inject(DOCUMENT);
  private readonly infoToggle = viewChild<ElementRef<HTMLButtonElement>>('infoToggle');
  private readonly infoClose = viewChild<ElementRef<HTMLButtonElement>>('infoClose');
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  // Read while the navigation that created this page is still current.
  private readonly entryState = this.router.currentNavigation()?.extras.state as RoomEntryState | undefined;

  constructor() {
    const title = inject(Title);
    effect(() => {
      const unread = this.store.unread();
      const name = this.store.title() ? `${this.store.title()} · tiny-chat` : 'tiny-chat';
      title.setTitle(unread > 0 ? `(${unread}) ${name}` : name);
    });
    inject(DestroyRef).onDestroy(() => title.setTitle('tiny-chat'));
    // Left here or in another tab of this room: back to the start page.
    effect(() => {
      if (this.store.phase() === 'left') void this.router.navigate(['/']);
    });
  }

  ngOnInit(): void {
    this.openRoom();
  }

  protected retryOpen(): void {
    this.openRoom();
  }

  private openRoom(): void {
    const key = keyFromFragment(this.route.snapshot.fragment);
    void this.store.open(this.roomId(), this.entryState?.nick ?? null, { key, created: this.entryState?.created });
  }

  protected async leave(): Promise<void> {
    this.confirmingLeave.set(false);
    await this.store.leave();
  }

  /**
   * On a phone the details panel covers the conversation: opening it moves focus into it (its Close button), closing
   * it (button or Escape) gives focus back to the button that opened it, so keyboard and screen-reader users never
   * lose their place. On a desktop the panel is always beside the conversation and these are not reachable.
   */
  protected openInfo(): void {
    this.infoOpen.set(true);
    afterNextRender(() => this.infoClose()?.nativeElement.focus(), { injector: this.injector });
  }

  protected closeInfo(): void {
    if (!this.infoOpen()) return;
    this.infoOpen.set(false);
    this.infoToggle()?.nativeElement.focus();
  }

  protected onEscape(): void {
    if (this.infoOpen()) this.closeInfo();
    else if (this.confirmingLeave()) this.confirmingLeave.set(false);
  }

  protected createRoom(): void {
    void this.launcher.createAndEnter(this.store.myNick() || this.store.suggestedNick());
  }
}
