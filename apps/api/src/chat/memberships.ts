/**
 * The rooms a socket joined and the member it is in each, as `[roomId, memberId, roomId, memberId, ...]`, replaced on
 * each change (never grown in place, so the array is exactly as long as its pairs). A socket is in one room nearly
 * always: 64 bytes per idle member where a Map takes 184.
 */
export type Memberships = readonly string[];

export const NO_MEMBERSHIPS: Memberships = Object.freeze([]);

/** The member this socket is in `roomId`, if it joined it. */
export function memberIn(memberships: Memberships, roomId: string): string | undefined {
  const at = indexOfRoom(memberships, roomId);
  return at < 0 ? undefined : memberships[at + 1];
}

/** The memberships with `roomId` joined as `memberId` (replacing an earlier member in that room). */
export function withMembership(memberships: Memberships, roomId: string, memberId: string): Memberships {
  return withoutMembership(memberships, roomId).concat(roomId, memberId);
}

/** The memberships without `roomId`. */
export function withoutMembership(memberships: Memberships, roomId: string): Memberships {
  const at = indexOfRoom(memberships, roomId);
  return at < 0 ? memberships : memberships.slice(0, at).concat(memberships.slice(at + 2));
}

/** [roomId, memberId] for each room joined. */
export function membershipEntries(memberships: Memberships): Array<[roomId: string, memberId: string]> {
  const entries: Array<[string, string]> = [];
  for (let at = 0; at + 1 < memberships.length; at += 2)
    entries.push([memberships[at] as string, memberships[at + 1] as string]);
  return entries;
}

function indexOfRoom(memberships: Memberships, roomId: string): number {
  for (let at = 0; at + 1 < memberships.length; at += 2) if (memberships[at] === roomId) return at;
  return -1;
}
