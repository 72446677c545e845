/** The lobby: create a room, or paste a room link or id, with the remembered nick prefilled. */
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MemberMemory } from '../core/member-memory';
import { RoomLauncher } from '../core/room-launcher';
import { limitNick } from '../room/ui/nick-rules';
import { parseRoomLink } from './room-link';

@Component({
  selector: 'tc-lobby-page',
  templateUrl: './lobby-page.html',
  styleUrl: './lobby-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LobbyPage {
  protected readonly launcher = inject(RoomLauncher);
  protected readonly nick = signal(inject(MemberMemory).lastNick());
  protected readonly link = signal('');
  protected readonly linkError = signal<string | null>(null);

  /** At most 32 code points, counted the server's way (maxlength would count UTF-16 units). */
  protected onNickInput(field: HTMLInputElement): void {
    const limited = limitNick(field.value);
    if (limited !== field.value) field.value = limited;
    this.nick.set(limited);
  }

  protected create(event: Event): void {
    event.preventDefault();
    void this.launcher.createAndEnter(this.nick());
  }

  protected join(event: Event): void {
    event.preventDefault();
    const roomId = parseRoomLink(this.link());
    if (!roomId) {
      this.linkError.set('That does not look like a room link. Paste the whole link, or the id after /r/.');
      return;
    }
    this.linkError.set(null);
    void this.launcher.enter(roomId, this.nick());
  }
}
