/** Tells the other tabs of this browser that a member left a room, so every tab of that room leaves with it. */
import { Injectable, OnDestroy } from '@angular/core';
import { Observable, Subject } from 'rxjs';

export interface LeftRoom {
  roomId: string;
  memberId: string;
}

const CHANNEL = 'tiny-chat:tabs';

@Injectable({ providedIn: 'root' })
export class TabChannel implements OnDestroy {
  private readonly leftSubject = new Subject<LeftRoom>();
  // Absent in very old browsers: then each tab finds out at its next request (TOKEN_INVALID -> nick prompt).
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;

  /** A member left a room in another tab. */
  readonly left$: Observable<LeftRoom> = this.leftSubject.asObservable();

  constructor() {
    if (this.channel) this.channel.onmessage = (event: MessageEvent<unknown>) => this.receive(event.data);
  }

  announceLeft(left: LeftRoom): void {
    this.channel?.postMessage({ type: 'left', ...left });
  }

  ngOnDestroy(): void {
    this.channel?.close();
  }

  private receive(data: unknown): void {
    const message = data as Partial<LeftRoom & { type: string }> | null;
    if (message?.type === 'left' && typeof message.roomId === 'string' && typeof message.memberId === 'string') {
      this.leftSubject.next({ roomId: message.roomId, memberId: message.memberId });
    }
  }
}
