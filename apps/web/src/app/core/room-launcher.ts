/** Creating a room and entering it, shared by the lobby and the "room closed" screen. */
import { Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { AuthSession } from '../account/auth-session';
import { OwnerKeys } from '../account/owner-keys';
import { errorSentence } from './error-sentence';
import { MemberMemory } from './member-memory';
import { encryptText, generateRoomKey, KEY_FRAGMENT_PARAM, TITLE_AD } from './room-crypto';
import { RoomsApi } from './rooms-api';

/** Router navigation state: the nick to join with, so the room page does not ask again. */
export interface RoomEntryState {
  nick?: string;
  /** This browser has just created the room: it holds the key if the room needs one. */
  created?: boolean;
}

@Injectable({ providedIn: 'root' })
export class RoomLauncher {
  private readonly api = inject(RoomsApi);
  private readonly router = inject(Router);
  private readonly auth = inject(AuthSession);
  private readonly ownerKeys = inject(OwnerKeys);
  private readonly memory = inject(MemberMemory);
  private readonly busySignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);

  readonly busy = this.busySignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();

  /**
   * `title`: the optional room title (trimmed; empty means none). `encrypted`: an end-to-end encrypted room, whose key
   * is made here and goes only into the link's fragment (and this browser's memory), its title sealed with it.
   */
  async createAndEnter(nick: string, title = '', encrypted = false): Promise<void> {
    if (this.busySignal()) return;
    this.busySignal.set(true);
    this.errorSignal.set(null);
    await this.auth.load();
    // With AUTH_MODE=oidc only signed-in people create rooms: through sign-in and back, then the create goes on.
    if (this.auth.mustSignInToCreate()) {
      this.auth.signInToCreate({ nick, title, encrypted });
      return;
    }
    const key = encrypted ? await generateRoomKey() : null;
    const plainTitle = title.trim();
    const sealedTitle = key && plainTitle ? await encryptText(key.key, TITLE_AD, plainTitle) : plainTitle;
    const created = await this.api.createRoom({
      ...(sealedTitle ? { title: sealedTitle } : {}),
      ...(key ? { encrypted: true } : {}),
    });
    this.busySignal.set(false);
    if (!created.ok) {
      // The session ended since the page loaded.
      if (created.error.code === 'AUTH_REQUIRED') this.auth.signInToCreate({ nick, title, encrypted });
      else this.errorSignal.set(errorSentence(created.error));
      return;
    }
    this.ownerKeys.remember(created.data.roomId, created.data.ownerKey, created.data.expiresAt);
    if (key) this.memory.rememberRoomKey(created.data.roomId, key.encoded);
    await this.enter(created.data.roomId, nick, key?.encoded ?? null, true);
  }

  /** `roomKey`: an encrypted room's key, carried in the fragment as in a shared link. */
  async enter(roomId: string, nick: string, roomKey: string | null = null, created = false): Promise<void> {
    this.errorSignal.set(null);
    const state: RoomEntryState = { ...(nick.trim() && { nick: nick.trim() }), ...(created && { created }) };
    const fragment = roomKey ? `${KEY_FRAGMENT_PARAM}=${roomKey}` : undefined;
    await this.router.navigate(['/r', roomId], { state, fragment });
  }
}
