/** Creating a room and entering it, shared by the lobby and the "room closed" screen. */
import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { errorSentence } from './error-sentence';
import { MemberMemory } from './member-memory';
import { RoomsApi } from './rooms-api';

/** Router navigation state: the nick to join with, so the room page does not ask again. */
export interface RoomEntryState {
  nick?: string;
}

@Injectable({ providedIn: 'root' })
export class RoomLauncher {
  private readonly api = inject(RoomsApi);
  private readonly router = inject(Router);
  private readonly memory = inject(MemberMemory);
  private readonly document = inject(DOCUMENT);
  private readonly busySignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);

  readonly busy = this.busySignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();

  async createAndEnter(nick: string): Promise<void> {
    if (this.busySignal()) return;
    this.busySignal.set(true);
    this.errorSignal.set(null);
    const created = await this.api.createRoom();
    this.busySignal.set(false);
    if (!created.ok) {
      if (created.error.code === 'AUTH_REQUIRED') {
        // Sign-in is on and this user is signed out: through the provider and back to this page.
        const { pathname, search } = this.document.location;
        this.document.location.assign(`/api/auth/login?returnTo=${encodeURIComponent(pathname + search)}`);
        return;
      }
      this.errorSignal.set(errorSentence(created.error));
      return;
    }
    this.memory.rememberOwnerKey(created.data.roomId, created.data.ownerKey);
    await this.enter(created.data.roomId, nick);
  }

  async enter(roomId: string, nick: string): Promise<void> {
    this.errorSignal.set(null);
    const state: RoomEntryState = nick.trim() ? { nick: nick.trim() } : {};
    await this.router.navigate(['/r', roomId], { state });
  }
}
