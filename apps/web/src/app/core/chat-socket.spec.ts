import { reconnectDelay, refusedConnectDelay } from './chat-socket';

describe('reconnectDelay', () => {
  it('leaves a lost transport to socket.io, which reconnects by itself with back-off', () => {
    expect(reconnectDelay('transport close', null)).toBeNull();
    expect(reconnectDelay('ping timeout', 1200)).toBeNull();
  });

  it('reconnects at once when the server ended the session without notice', () => {
    expect(reconnectDelay('io server disconnect', null)).toBe(0);
  });

  it('waits the jittered delay a restarting server asked for, within bounds', () => {
    expect(reconnectDelay('io server disconnect', 1234)).toBe(1234);
    expect(reconnectDelay('io server disconnect', -5)).toBe(0);
    expect(reconnectDelay('io server disconnect', 10 * 60_000)).toBe(30_000);
    expect(reconnectDelay('io server disconnect', Number.NaN)).toBe(0);
  });
});

describe('refusedConnectDelay', () => {
  it('asks again after a refused connection (SHUTTING_DOWN), doubling from 0.5 s up to 10 s', () => {
    const top = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => refusedConnectDelay(attempt, top))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('spreads each delay between half and all of it', () => {
    expect(refusedConnectDelay(1, () => 0)).toBe(500);
    expect(refusedConnectDelay(1, () => 0.5)).toBe(750);
  });
});
