/** Creating a room and entering it, shared by the lobby and the "room closed" screen. */
import { Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { AuthSession } from '../account/auth-session';
import { OwnerKeys } from '../account/owner-keys';
import { errorSentence } from './error-sentence';
import { RoomsApi } from './rooms-api';

/** Router navigation state: the nick to join with, so the room page does not ask again. */
export interface RoomEntryState {
  nick?: string;
}

@Injectable({ providedIn: 'root' })
export class RoomLauncher {
  private readonly api = inject(RoomsApi);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthSession);
  private readonly ownerKeys = inject(OwnerKeys);
  private readonly busySignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);

  readonly busy = this.busySignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();

  /** `title`: the optional room title (trimmed; empty means none). */
  async createAndEnter(nick: string, title = ''): Promise<void> {
    if (this.busySignal()) return;
    this.busySignal.set(true);
    this.errorSignal.set(null);
    await this.auth.load();
    // With AUTH_MODE=oidc only signed-in people create rooms: through sign-in and back, then the create goes on.
    if (this.auth.mustSignInToCreate()) {
      this.auth.signInToCreate(nick);
      return;
    }
    const created = await this.api.createRoom(title.trim() ? { title: title.trim() } : {});
    this.busySignal.set(false);
    if (!created.ok) {
      // The session ended since the page loaded.
      if (created.error.code === 'AUTH_REQUIRED') this.auth.signInToCreate(nick);
      else this.errorSignal.set(errorSentence(created.error));
      return;
    }
    this.ownerKeys.remember(created.data.roomId, created.data.ownerKey, created.data.expiresAt);
    await this.enter(created.data.roomId, nick);
  }

  async enter(roomId: string, nick: string): Promise<void> {
    this.errorSignal.set(null);
    const state: RoomEntryState = nick.trim() ? { nick: nick.trim() } : {};
    await this.router.navigate(['/r', roomId], { state });
  }
}
