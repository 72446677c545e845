import { isClientEvent } from './chat-events';

describe('isClientEvent', () => {
  it('accepts the contract client events only', () => {
    expect(['room:join', 'room:leave', 'message:send', 'message:list', 'room:touch'].every(isClientEvent)).toBe(true);
    expect(['message:new', '__proto__', 'constructor', 42, undefined].some(isClientEvent)).toBe(false);
  });
});
