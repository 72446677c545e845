import { isOriginAllowed } from './origin-policy';

describe('isOriginAllowed', () => {
  it('allows clients without an Origin header (non-browser clients)', () => {
    expect(isOriginAllowed(undefined, 'chat.example', [])).toBe(true);
  });
  it('allows the same origin by default', () => {
    expect(isOriginAllowed('https://chat.example:8443', 'chat.example:8443', [])).toBe(true);
    expect(isOriginAllowed('http://localhost:3000', 'localhost:3000', [])).toBe(true);
  });
  it('refuses another origin unless listed', () => {
    expect(isOriginAllowed('https://evil.example', 'chat.example', [])).toBe(false);
    expect(isOriginAllowed('https://chat.example.evil.example', 'chat.example', [])).toBe(false);
    expect(isOriginAllowed('https://app.example', 'chat.example', ['https://app.example'])).toBe(true);
    expect(isOriginAllowed('https://other.example', 'chat.example', ['*'])).toBe(true);
  });
  it('refuses malformed and opaque origins', () => {
    expect(isOriginAllowed('null', 'chat.example', [])).toBe(false);
    expect(isOriginAllowed('file://x', 'x', [])).toBe(false);
  });
});
