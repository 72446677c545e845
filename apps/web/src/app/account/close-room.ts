/**
 * "Close room" for the room's owner, with a confirmation: the owner is this browser when it keeps the room's owner
 * key, or the signed-in user who created it (AUTH_MODE=oidc). Everyone else never sees the button.
 */
import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { errorSentence } from '../core/error-sentence';
import { RoomsApi } from '../core/rooms-api';
import { AuthSession } from './auth-session';
import { OwnerKeys } from './owner-keys';

@Component({
  selector: 'tc-close-room',
  template: `
    @if (owner()) {
      <section aria-labelledby="close-room-title">
        <h2 id="close-room-title">You created this room</h2>
        @if (confirming()) {
          <div role="group" aria-label="Close this room for everyone?">
            <p>Close it now for everyone? The conversation ends for all members and cannot be opened again.</p>
            <div class="actions">
              <button type="button" class="primary" [disabled]="busy()" (click)="close()">Close for everyone</button>
              <button type="button" (click)="confirming.set(false)">Keep it open</button>
            </div>
          </div>
        } @else {
          <button type="button" (click)="confirming.set(true)">Close room…</button>
        }
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </section>
    }
  `,
  styles: `
    h2 {
      font-size: 1rem;
      margin: 0 0 0.5rem;
    }
    p {
      margin: 0 0 0.5rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CloseRoom {
  readonly roomId = input.required<string>();

  private readonly api = inject(RoomsApi);
  private readonly auth = inject(AuthSession);
  private readonly ownerKeys = inject(OwnerKeys);

  protected readonly owner = signal(false);
  protected readonly confirming = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => void this.findOwnership(this.roomId()));
  }

  protected async close(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    const roomId = this.roomId();
    const result = await this.api.closeRoom(roomId, this.ownerKeys.keyFor(roomId));
    this.busy.set(false);
    this.confirming.set(false);
    // The room:closed event (reason "closed") takes the page to its closed state; nothing more to do here.
    if (result.ok || result.error.code === 'ROOM_NOT_FOUND') this.ownerKeys.forget(roomId);
    else this.error.set(errorSentence(result.error));
  }

  private async findOwnership(roomId: string): Promise<void> {
    if (this.ownerKeys.keyFor(roomId) !== null) {
      this.owner.set(true);
      return;
    }
    await this.auth.load();
    if (!this.auth.user()) return;
    const mine = await this.api.myRooms();
    this.owner.set(mine.ok && mine.data.rooms.some((room) => room.roomId === roomId));
  }
}
