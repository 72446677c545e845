import { safeReturnTo } from './oidc-login';

const PUBLIC_URL = 'https://chat.example.com';

describe('safeReturnTo', () => {
  it.each([
    ['/', '/'],
    ['/r/abc', '/r/abc'],
    ['/r/abc?x=1#top', '/r/abc?x=1#top'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeReturnTo(raw, PUBLIC_URL)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    'https://evil.example/',
    'https://chat.example.com.evil.example/',
    'javascript:alert(1)',
    'evil',
    '',
  ])('sends %j to /', (raw) => {
    expect(safeReturnTo(raw, PUBLIC_URL)).toBe('/');
  });

  it('sends a missing or repeated returnTo to /', () => {
    expect(safeReturnTo(undefined, PUBLIC_URL)).toBe('/');
    expect(safeReturnTo(['/a', '/b'], PUBLIC_URL)).toBe('/');
  });
});
