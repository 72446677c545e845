import { memberIn, membershipEntries, NO_MEMBERSHIPS, withMembership, withoutMembership } from './memberships';

describe('memberships', () => {
  it('finds the member a socket is in each room it joined', () => {
    const memberships = withMembership(withMembership(NO_MEMBERSHIPS, 'room-a', 'ann'), 'room-b', 'bob');
    expect(memberIn(memberships, 'room-a')).toBe('ann');
    expect(memberIn(memberships, 'room-b')).toBe('bob');
    expect(memberIn(memberships, 'room-c')).toBeUndefined();
    expect(membershipEntries(memberships)).toEqual([
      ['room-a', 'ann'],
      ['room-b', 'bob'],
    ]);
  });

  it('keeps one member per room: joining again as another member replaces the first', () => {
    const memberships = withMembership(withMembership(NO_MEMBERSHIPS, 'room-a', 'ann'), 'room-a', 'amy');
    expect(membershipEntries(memberships)).toEqual([['room-a', 'amy']]);
  });

  it('drops a room and keeps the others, never changing the list it was given', () => {
    const both = withMembership(withMembership(NO_MEMBERSHIPS, 'room-a', 'ann'), 'room-b', 'bob');
    const left = withoutMembership(both, 'room-a');
    expect(membershipEntries(left)).toEqual([['room-b', 'bob']]);
    expect(membershipEntries(both)).toHaveLength(2);
    expect(withoutMembership(left, 'room-x')).toBe(left);
    expect(NO_MEMBERSHIPS).toEqual([]);
  });
});
