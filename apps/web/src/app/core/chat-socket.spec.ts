import { reconnectDelay } from './chat-socket';

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
