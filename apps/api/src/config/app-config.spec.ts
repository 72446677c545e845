import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      roomIdleTimeoutSec: 300,
      roomMaxTtlSec: 43200,
      cleanupIntervalSec: 10,
      maxRooms: 1000,
      maxMessageLength: 1000,
      historyLimit: 200,
    });
  });
  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      ROOM_IDLE_TIMEOUT_SEC: '60',
      ROOM_MAX_TTL_SEC: '600',
      CLEANUP_INTERVAL_SEC: '2',
      MAX_ROOMS: '5',
      MAX_MESSAGE_LENGTH: '10',
      HISTORY_LIMIT: '7',
    });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', roomIdleTimeoutSec: 60, roomMaxTtlSec: 600 });
    expect(config).toMatchObject({ cleanupIntervalSec: 2, maxRooms: 5, maxMessageLength: 10, historyLimit: 7 });
    expect(config.idleTimeoutMs).toBe(60_000);
  });
  it('reads TRUST_PROXY as a hop count, addresses, CIDRs or express names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: 'linklocal,uniquelocal,::1,fd00::/8' }).trustProxy).toBe(
      'linklocal, uniquelocal, ::1, fd00::/8',
    );
  });
  it('refuses TRUST_PROXY=true, naming the variable and what to write instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true .*number of proxies.*addresses/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY entries/);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY entries/);
  });

  it('names every bad variable in one error', () => {
    expect(() => loadConfig({ PORT: 'abc', MAX_ROOMS: '0', HISTORY_LIMIT: '1.5' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', MAX_ROOMS: '0', HISTORY_LIMIT: '1.5' });
    } catch (error) {
      expect(String(error)).toMatch(/PORT must be an integer/);
      expect(String(error)).toMatch(/MAX_ROOMS must be an integer from 1/);
      expect(String(error)).toMatch(/HISTORY_LIMIT/);
    }
  });
});
