/**
 * The owner keys of rooms this browser created (localStorage): the key is shown once by POST /api/rooms and is the
 * only proof of ownership in AUTH_MODE=none, so losing it only loses "Close room" for that room.
 */
import { Injectable, inject } from '@angular/core';
import { CLOCK } from '../core/clock';
import { writeLocal } from '../core/local-store';

const PREFIX = 'tiny-chat:owner:';

export interface OwnedRoomKey {
  roomId: string;
  ownerKey: string;
  /** The room's maximum age (ms since epoch): past it the key can only be forgotten. */
  expiresAt: number;
}

@Injectable({ providedIn: 'root' })
export class OwnerKeys {
  private readonly clock = inject(CLOCK);

  remember(roomId: string, ownerKey: string, expiresAt: string): void {
    const entry: OwnedRoomKey = { roomId, ownerKey, expiresAt: Date.parse(expiresAt) };
    writeLocal(PREFIX + roomId, JSON.stringify(entry));
  }

  keyFor(roomId: string): string | null {
    return this.read(roomId)?.ownerKey ?? null;
  }

  forget(roomId: string): void {
    writeLocal(PREFIX + roomId, null);
  }

  /** Every remembered room not yet past its maximum age, oldest first; expired entries are dropped on the way. */
  all(): OwnedRoomKey[] {
    const found: OwnedRoomKey[] = [];
    for (const roomId of this.roomIds()) {
      const entry = this.read(roomId);
      if (entry && entry.expiresAt > this.clock()) found.push(entry);
      else this.forget(roomId);
    }
    return found.sort((a, b) => a.expiresAt - b.expiresAt);
  }

  private roomIds(): string[] {
    const ids: string[] = [];
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key?.startsWith(PREFIX)) ids.push(key.slice(PREFIX.length));
      }
    } catch {
      /* no storage: no keys */
    }
    return ids;
  }

  // A hand-edited or foreign entry reads as absent rather than breaking the lobby.
  private read(roomId: string): OwnedRoomKey | null {
    try {
      const raw = localStorage.getItem(PREFIX + roomId);
      if (raw === null) return null;
      const value = JSON.parse(raw) as Partial<OwnedRoomKey>;
      if (typeof value.ownerKey !== 'string' || typeof value.expiresAt !== 'number') return null;
      return { roomId, ownerKey: value.ownerKey, expiresAt: value.expiresAt };
    } catch {
      return null;
    }
  }
}
