/**
 * "My rooms" in the lobby: the live rooms this person created, with live countdowns, open and close. Signed in
 * (AUTH_MODE=oidc) the server lists them (GET /api/me/rooms, any device); otherwise they are the rooms whose owner
 * key this browser keeps.
 */
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { OwnedRoom } from '@tiny-chat/shared-types';
import { CLOCK } from '../core/clock';
import { errorSentence } from '../core/error-sentence';
import { RoomsApi } from '../core/rooms-api';
import { formatCountdown } from '../room/ui/time-format';
import { AuthSession } from './auth-session';
import { OwnerKeys } from './owner-keys';

/** Deadlines move while people chat elsewhere: ask again this often. */
const REFRESH_MS = 15_000;

interface Row {
  roomId: string;
  memberCount: number;
  /** The earlier of the idle deadline and the maximum age: when the room closes unless someone writes. */
  closesAt: number;
}

@Component({
  selector: 'tc-my-rooms',
  imports: [RouterLink],
  template: `
    @if (visible().length > 0) {
      <section class="card" aria-labelledby="my-rooms-title" data-testid="my-rooms">
        <h2 id="my-rooms-title">My rooms</h2>
        <ul>
          @for (room of visible(); track room.roomId) {
            <li>
              <div class="what">
                <a [routerLink]="['/r', room.roomId]" [attr.aria-label]="'Open room ' + room.roomId">{{
                  room.roomId
                }}</a>
                <span class="meta">
                  {{ room.memberCount === 1 ? '1 member' : room.memberCount + ' members' }} · closes in
                  {{ countdown(room) }}
                </span>
              </div>
              @if (confirming() === room.roomId) {
                <div class="confirm" role="group" [attr.aria-label]="'Close room ' + room.roomId + ' for everyone?'">
                  <span>Close it for everyone?</span>
                  <button type="button" [disabled]="busy()" (click)="close(room.roomId)">Close</button>
                  <button type="button" (click)="confirming.set(null)">Keep</button>
                </div>
              } @else {
                <button type="button" (click)="confirming.set(room.roomId)">Close…</button>
              }
            </li>
          }
        </ul>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
      </section>
    }
  `,
  styles: `
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.75rem;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
      justify-content: space-between;
    }
    .what {
      display: grid;
      min-width: 0;
    }
    .what a {
      overflow-wrap: anywhere;
      font-family: ui-monospace, monospace;
    }
    .meta {
      color: var(--muted);
      font-size: 0.9rem;
    }
    .confirm {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyRooms {
  private readonly api = inject(RoomsApi);
  private readonly auth = inject(AuthSession);
  private readonly ownerKeys = inject(OwnerKeys);
  private readonly clock = inject(CLOCK);
  private readonly rows = signal<Row[]>([]);
  private readonly now = signal(this.clock());

  protected readonly confirming = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** A room whose countdown ran out is gone: it leaves the list without waiting for the next refresh. */
  protected readonly visible = computed(() => this.rows().filter((row) => row.closesAt > this.now()));

  constructor() {
    const tick = setInterval(() => this.now.set(this.clock()), 1000);
    const refresh = setInterval(() => void this.refresh(), REFRESH_MS);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(tick);
      clearInterval(refresh);
    });
    void this.refresh();
  }

  protected countdown(row: Row): string {
    return formatCountdown(row.closesAt - this.now());
  }

  protected async close(roomId: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    const result = await this.api.closeRoom(roomId, this.ownerKeys.keyFor(roomId));
    this.busy.set(false);
    this.confirming.set(null);
    if (result.ok || result.error.code === 'ROOM_NOT_FOUND') {
      this.ownerKeys.forget(roomId);
      this.rows.update((rows) => rows.filter((row) => row.roomId !== roomId));
      return;
    }
    this.error.set(errorSentence(result.error));
  }

  private async refresh(): Promise<void> {
    await this.auth.load();
    const rooms = this.auth.user() ? await this.fromServer() : await this.fromOwnerKeys();
    if (rooms) this.rows.set(rooms.map(toRow));
  }

  private async fromServer(): Promise<OwnedRoom[] | null> {
    const result = await this.api.myRooms();
    return result.ok ? result.data.rooms : null;
  }

  private async fromOwnerKeys(): Promise<OwnedRoom[]> {
    const found = await Promise.all(
      this.ownerKeys.all().map(async ({ roomId }): Promise<OwnedRoom | null> => {
        const result = await this.api.getRoom(roomId);
        if (result.ok) {
          const { encrypted, title, createdAt, expiresAt, idleExpiresAt, members } = result.data;
          return { roomId, encrypted, title, createdAt, expiresAt, idleExpiresAt, memberCount: members.length };
        }
        if (result.error.code === 'ROOM_NOT_FOUND') this.ownerKeys.forget(roomId);
        return null;
      }),
    );
    return found.filter((room): room is OwnedRoom => room !== null);
  }
}

function toRow(room: OwnedRoom): Row {
  return {
    roomId: room.roomId,
    memberCount: room.memberCount,
    closesAt: Math.min(Date.parse(room.idleExpiresAt), Date.parse(room.expiresAt)),
  };
}
