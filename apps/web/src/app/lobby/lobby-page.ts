/** The lobby: create a room, or paste a room link or id, with the remembered nick prefilled. */
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute } from '@angular/router';
import { AccountMenu } from '../account/account-menu';
import { AuthSession } from '../account/auth-session';
import { MyRooms } from '../account/my-rooms';
import { MemberMemory } from '../core/member-memory';
import { RoomLauncher } from '../core/room-launcher';
import { limitNick } from '../room/ui/nick-rules';
import { parseRoomLink, parseRoomLinkKey } from './room-link';

/** `/?authError=` after a failed sign-in: the server's two codes in words. */
const AUTH_ERRORS: Record<string, string> = {
  access_denied:
    'Sign-in was cancelled. You can try again, or use rooms without signing in where the server allows it.',
  login_failed: 'Sign-in did not work. Try again; if it keeps failing, ask whoever runs this server.',
};

@Component({
  selector: 'tc-lobby-page',
  imports: [AccountMenu, MyRooms],
  templateUrl: './lobby-page.html',
  styleUrl: './lobby-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LobbyPage {
  protected readonly launcher = inject(RoomLauncher);
  protected readonly nick = signal(inject(MemberMemory).lastNick());
  protected readonly link = signal('');
  protected readonly roomTitle = signal('');
  protected readonly encrypted = signal(false);
  protected readonly linkError = signal<string | null>(null);
  protected readonly authError = signal<string | null>(authErrorSentence(inject(ActivatedRoute)));

  constructor() {
    // Back from the sign-in that a "Create a room" needed: finish that create.
    const auth = inject(AuthSession);
    void auth.load().then(() => {
      const pending = auth.user() ? auth.takePendingCreate() : null;
      if (pending) void this.launcher.createAndEnter(pending.nick, pending.title, pending.encrypted);
    });
  }

  /** At most 32 code points, counted the server's way (maxlength would count UTF-16 units). */
  protected onNickInput(field: HTMLInputElement): void {
    const limited = limitNick(field.value);
    if (limited !== field.value) field.value = limited;
    this.nick.set(limited);
  }

  protected create(event: Event): void {
    event.preventDefault();
    void this.launcher.createAndEnter(this.nick(), this.roomTitle(), this.encrypted());
  }

  protected join(event: Event): void {
    event.preventDefault();
    const roomId = parseRoomLink(this.link());
    if (!roomId) {
      this.linkError.set('That does not look like a room link. Paste the whole link, or the id after /r/.');
      return;
    }
    this.linkError.set(null);
    void this.launcher.enter(roomId, this.nick(), parseRoomLinkKey(this.link()));
  }
}

function authErrorSentence(route: ActivatedRoute): string | null {
  const code = route.snapshot.queryParamMap.get('authError');
  if (code === null) return null;
  return AUTH_ERRORS[code] ?? AUTH_ERRORS['login_failed'] ?? null;
}
