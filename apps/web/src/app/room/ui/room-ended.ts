/** The end of a room: closed (idle or maximum age) or never found, with a way to start a new one. */
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { RoomClosedReason } from '@tiny-chat/shared-types';

@Component({
  selector: 'tc-room-ended',
  imports: [RouterLink],
  template: `
    <main class="card ended" data-testid="room-ended">
      <h1>{{ kind() === 'not-found' ? 'Room not found or expired' : 'Room closed' }}</h1>
      <p>{{ explanation() }}</p>
      <div class="actions">
        <button type="button" class="primary" [disabled]="busy()" (click)="createRoom.emit()">Create a new room</button>
        <a routerLink="/">Back to the start page</a>
      </div>
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
    </main>
  `,
  styles: `
    :host {
      display: block;
      padding: 2rem 1rem;
    }
    .ended {
      max-width: 28rem;
      margin: 0 auto;
    }
    h1 {
      margin: 0 0 0.5rem;
      font-size: 1.4rem;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 1rem;
      align-items: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomEnded {
  readonly kind = input.required<'closed' | 'not-found'>();
  readonly reason = input<RoomClosedReason | null>(null);
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly createRoom = output();

  protected readonly explanation = computed(() => {
    if (this.kind() === 'not-found') {
      return 'This link points to a room that does not exist, or that closed after going quiet. Rooms are throw-away.';
    }
    switch (this.reason()) {
      case 'idle':
        return 'It closed because nobody wrote anything for a while (idle). Its messages are gone.';
      case 'ttl':
        return 'It reached its maximum age and closed. Its messages are gone.';
      case 'closed':
        return 'The person who created it closed it. Its messages are gone.';
      default:
        return 'This room is no longer available. Its messages are gone.';
    }
  });
}
