/**
 * Quiet system lines for those present: who joined, who left, who has been offline for a minute (and is back).
 * Worked out in this browser from successive member lists (room:presence); never stored or sent as messages.
 */
import type { Member } from '@tiny-chat/shared-types';

/** Offline this long (a closed laptop, not a flaky train tunnel) before the conversation mentions it. */
export const OFFLINE_NOTICE_MS = 60_000;

export type PresenceChange = 'joined' | 'left' | 'offline' | 'back';

/** One system line: placed after the newest message known when it happened (afterId), in the order seen. */
export interface PresenceEvent {
  key: string;
  change: PresenceChange;
  memberId: string;
  nick: string;
  at: number;
  afterId: number;
}

export class PresenceLog {
  private members = new Map<string, Member>();
  /** Members seen going offline here, and since when: a line once that lasts OFFLINE_NOTICE_MS. */
  private readonly offlineSince = new Map<string, number>();
  /** Members whose offline line was shown: their return gets a line too, nobody else's does. */
  private readonly announcedOffline = new Set<string>();
  private events: PresenceEvent[] = [];
  private seq = 0;

  constructor(private readonly me: () => string) {}

  list(): readonly PresenceEvent[] {
    return this.events;
  }

  /**
   * The member list as of a (re)join: the new starting point, with no lines. Whatever changed while we were not
   * there is not ours to narrate, and a member already offline then never went offline "in front of us".
   */
  reset(members: readonly Member[]): void {
    this.members = new Map(members.map((m) => [m.memberId, m]));
    this.offlineSince.clear();
    this.announcedOffline.clear();
  }

  /** A new member list (room:presence); answers whether it added a line. */
  update(members: readonly Member[], now: number, afterId: number): boolean {
    const before = this.events.length;
    const next = new Map(members.map((m) => [m.memberId, m]));
    for (const [id, member] of next) {
      const old = this.members.get(id);
      if (!old) this.add('joined', member, now, afterId);
      else if (old.online && !member.online) this.offlineSince.set(id, now);
      else if (!old.online && member.online) {
        this.offlineSince.delete(id);
        if (this.announcedOffline.delete(id)) this.add('back', member, now, afterId);
      }
    }
    for (const [id, member] of this.members) {
      if (next.has(id)) continue;
      this.offlineSince.delete(id);
      this.announcedOffline.delete(id);
      this.add('left', member, now, afterId);
    }
    this.members = next;
    return this.events.length > before;
  }

  /** Called every second while presence is known: the offline line once someone has been away long enough. */
  tick(now: number, afterId: number): boolean {
    let added = false;
    for (const [id, since] of this.offlineSince) {
      const member = this.members.get(id);
      if (!member || now - since < OFFLINE_NOTICE_MS) continue;
      this.offlineSince.delete(id);
      this.announcedOffline.add(id);
      this.add('offline', member, since + OFFLINE_NOTICE_MS, afterId);
      added = true;
    }
    return added;
  }

  private add(change: PresenceChange, member: Member, at: number, afterId: number): void {
    // Our own arrival, departure or absence is no news to us.
    if (member.memberId === this.me()) return;
    this.seq += 1;
    this.events = [
      ...this.events,
      { key: `p${this.seq}`, change, memberId: member.memberId, nick: member.nick, at, afterId },
    ];
  }
}

export function presenceText(change: PresenceChange, name: string): string {
  switch (change) {
    case 'joined':
      return `${name} joined`;
    case 'left':
      return `${name} left`;
    case 'offline':
      return `${name} has been offline for a minute`;
    case 'back':
      return `${name} is back online`;
  }
}
