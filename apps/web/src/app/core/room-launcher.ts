/** Creating a room and entering it, shared by the lobby and the "room closed" screen. */
import { Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
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
      this.errorSignal.set(errorSentence(created.error));
      return;
    }
    await this.enter(created.data.roomId, nick);
  }

  async enter(roomId: string, nick: string): Promise<void> {
    this.errorSignal.set(null);
    const state: RoomEntryState = nick.trim() ? { nick: nick.trim() } : {};
    await this.router.navigate(['/r', roomId], { state });
  }
}
