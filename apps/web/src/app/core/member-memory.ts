/**
 * What the browser remembers between visits (localStorage): the member token per room, an encrypted room's key (so
 * the room opens again from "My rooms" or a link without its fragment) and the last nick used.
 */
import { Injectable } from '@angular/core';
import { readLocal, writeLocal } from './local-store';

const TOKEN_PREFIX = 'tiny-chat:token:';
const ROOM_KEY_PREFIX = 'tiny-chat:room-key:';
const NICK_KEY = 'tiny-chat:nick';

@Injectable({ providedIn: 'root' })
export class MemberMemory {
  tokenFor(roomId: string): string | null {
    return readLocal(TOKEN_PREFIX + roomId);
  }

  rememberToken(roomId: string, userToken: string): void {
    writeLocal(TOKEN_PREFIX + roomId, userToken);
  }

  forgetToken(roomId: string): void {
    writeLocal(TOKEN_PREFIX + roomId, null);
  }

  roomKeyFor(roomId: string): string | null {
    return readLocal(ROOM_KEY_PREFIX + roomId);
  }

  rememberRoomKey(roomId: string, encodedKey: string): void {
    writeLocal(ROOM_KEY_PREFIX + roomId, encodedKey);
  }

  forgetRoomKey(roomId: string): void {
    writeLocal(ROOM_KEY_PREFIX + roomId, null);
  }

  lastNick(): string {
    return readLocal(NICK_KEY) ?? '';
  }

  rememberNick(nick: string): void {
    writeLocal(NICK_KEY, nick);
  }
}
