import { TestBed } from '@angular/core/testing';
import { CLOCK } from '../core/clock';
import { OwnerKeys } from './owner-keys';

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('OwnerKeys', () => {
  let now = T0;
  let keys: OwnerKeys;

  beforeEach(() => {
    localStorage.clear();
    now = T0;
    TestBed.configureTestingModule({ providers: [{ provide: CLOCK, useValue: () => now }] });
    keys = TestBed.inject(OwnerKeys);
  });

  it('keeps the key of a room this browser created, per room', () => {
    keys.remember('room-a', 'key-a', new Date(T0 + 60_000).toISOString());
    keys.remember('room-b', 'key-b', new Date(T0 + 30_000).toISOString());
    expect(keys.keyFor('room-a')).toBe('key-a');
    expect(keys.keyFor('room-c')).toBeNull();
    expect(keys.all().map((k) => k.roomId)).toEqual(['room-b', 'room-a']);
  });

  it('drops rooms past their maximum age and forgets closed ones', () => {
    keys.remember('old', 'key-old', new Date(T0 + 1_000).toISOString());
    keys.remember('live', 'key-live', new Date(T0 + 60_000).toISOString());
    now = T0 + 2_000;
    expect(keys.all().map((k) => k.roomId)).toEqual(['live']);
    expect(localStorage.getItem('tiny-chat:owner:old')).toBeNull();
    keys.forget('live');
    expect(keys.keyFor('live')).toBeNull();
  });

  it('reads a hand-edited entry as absent instead of failing', () => {
    localStorage.setItem('tiny-chat:owner:broken', '{not json');
    localStorage.setItem('tiny-chat:owner:wrong', JSON.stringify({ ownerKey: 5 }));
    expect(keys.keyFor('broken')).toBeNull();
    expect(keys.all()).toEqual([]);
  });
});
