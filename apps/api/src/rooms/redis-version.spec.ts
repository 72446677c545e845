import { isAtLeast, redisVersionOf, refusalFor } from './redis-version';

describe('the Redis version check', () => {
  it('reads redis_version from an INFO server reply', () => {
    expect(redisVersionOf('# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n')).toBe('7.0.15');
    expect(redisVersionOf('# Server\r\nredis_mode:standalone\r\n')).toBeNull();
  });

  it.each([
    ['7.0.0', true],
    ['7.0.15', true],
    ['7.2.4', true],
    ['8.0', true],
    ['6.2.14', false],
    ['6.9.99', false],
    ['5.0.7', false],
  ])('%s is at least 7.0: %s', (version, expected) => {
    expect(isAtLeast(version)).toBe(expected);
  });

  it('refuses an older server with a sentence naming both versions, and accepts 7.0', () => {
    expect(refusalFor('redis_version:6.2.14\r\n')).toBe(
      'Redis 7.0 or newer is needed (sharded pub/sub), found 6.2.14: upgrade Redis or run with STORE=memory',
    );
    expect(refusalFor('redis_version:7.0.0\r\n')).toBeNull();
    expect(refusalFor('loading:0\r\n')).toMatch(/does not report redis_version/);
  });
});
