import { type FastPath, FastPaths } from './fast-paths';

const shaped: FastPath<{ field?: unknown }> = {
  name: 'shaped',
  check: () => undefined,
  checkLive: (live) => (Array.isArray(live.field) ? undefined : '`field` is not an array'),
};
const missing: FastPath = { name: 'missing', check: () => 'dependency `Thing.private` is not a function' };
const throwing: FastPath = {
  name: 'throwing',
  check: () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

function recorded(enabled: boolean): { fastPaths: FastPaths; lines: string[] } {
  const lines: string[] = [];
  return { fastPaths: new FastPaths(enabled, (line) => lines.push(line)), lines };
}

describe('FastPaths', () => {
  it('allows a trick whose check passes, and runs the check once', () => {
    const { fastPaths, lines } = recorded(true);
    const check = jest.fn(() => undefined);
    const trick: FastPath = { name: 'fine', check };
    expect([fastPaths.allows(trick), fastPaths.allows(trick), fastPaths.allows(trick)]).toEqual([true, true, true]);
    expect(check).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([]);
  });

  it('turns a trick off with exactly one warning naming it and what is missing', () => {
    const { fastPaths, lines } = recorded(true);
    expect(fastPaths.allows(missing)).toBe(false);
    expect(fastPaths.allows(missing)).toBe(false);
    expect(fastPaths.allows(throwing)).toBe(false);
    expect(lines).toEqual([
      'fast path missing disabled: dependency `Thing.private` is not a function',
      'fast path throwing disabled: check threw: cannot read properties of undefined',
    ]);
    expect(fastPaths.disabled()).toEqual({
      missing: 'dependency `Thing.private` is not a function',
      throwing: 'check threw: cannot read properties of undefined',
    });
  });

  it('with FAST_PATHS=off allows nothing and warns about nothing', () => {
    const { fastPaths, lines } = recorded(false);
    expect(fastPaths.allows({ name: 'fine', check: () => undefined })).toBe(false);
    expect(fastPaths.allowsFor(shaped, { field: [] })).toBe(false);
    expect(lines).toEqual([]);
  });

  it('checks live objects on the first one only, and a failed live check turns the trick off for good', () => {
    const good = recorded(true);
    expect(good.fastPaths.allowsFor(shaped, { field: [] })).toBe(true);
    expect(good.fastPaths.allowsFor(shaped, { field: 'later objects are not checked again' })).toBe(true);
    const bad = recorded(true);
    expect(bad.fastPaths.allowsFor(shaped, { field: 'renamed' })).toBe(false);
    expect(bad.fastPaths.allows(shaped)).toBe(false);
    expect(bad.fastPaths.allowsFor(shaped, { field: [] })).toBe(false);
    expect(bad.lines).toEqual(['fast path shaped disabled: `field` is not an array']);
  });

  it('disable() from a guard mid-flight warns once and wins over an earlier pass', () => {
    const { fastPaths, lines } = recorded(true);
    expect(fastPaths.allowsFor(shaped, { field: [] })).toBe(true);
    fastPaths.disable(shaped, 'sender._queue is undefined');
    fastPaths.disable(shaped, 'again');
    expect(fastPaths.allowsFor(shaped, { field: [] })).toBe(false);
    expect(lines).toEqual(['fast path shaped disabled: sender._queue is undefined']);
  });
});
