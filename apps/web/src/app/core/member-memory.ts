/**
 * What the browser remembers between visits (localStorage): the member token per room, an encrypted room's key (so
 * the room opens again from "My rooms" or a link without its fragment) and the last nick used.
 */
import { Injectable } from '@angular/core';

const TOKEN_PREFIX = 'tiny-chat:token:';
const ROOM_KEY_PREFIX = 'tiny-chat:room-key:';
const NICK_KEY = 'tiny-chat:nick';

@Injectable({ providedIn: 'root' })
export class MemberMemory {
  tokenFor(roomId: string): string | null {
    return this.read(TOKEN_PREFIX + roomId);
  }

  rememberToken(roomId: string, userToken: string): void {
    this.write(TOKEN_PREFIX + roomId, userToken);
  }

  forgetToken(roomId: string): void {
    this.write(TOKEN_PREFIX + roomId, null);
  }

  roomKeyFor(roomId: string): string | null {
    return this.read(ROOM_KEY_PREFIX + roomId);
  }

  rememberRoomKey(roomId: string, encodedKey: string): void {
    this.write(ROOM_KEY_PREFIX + roomId, encodedKey);
  }

  forgetRoomKey(roomId: string): void {
    this.write(ROOM_KEY_PREFIX + roomId, null);
  }

  lastNick(): string {
    return this.read(NICK_KEY) ?? '';
  }

  rememberNick(nick: string): void {
    this.write(NICK_KEY, nick);
  }

  // Storage can throw (private mode, quota); losing the memory only costs a nick prompt.
  private read(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  private write(key: string, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      /* see read() */
    }
  }
}
