import { CompactMap } from './compact-map';

describe('CompactMap', () => {
  it('behaves like a Map over a long random run of sets, deletes and clears', () => {
    const keys: unknown[] = ['a', 'b', 'c', 0, -0, NaN, undefined, null, 1];
    const real = new Map<unknown, number>();
    const compact = new CompactMap<unknown, number>();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 5000; step++) {
      const key = keys[random(keys.length)];
      const op = random(10);
      if (op < 5) {
        expect(compact.set(key, step)).toBe(compact);
        real.set(key, step);
      } else if (op < 9) {
        expect(compact.delete(key)).toBe(real.delete(key));
      } else if (random(5) === 0) {
        compact.clear();
        real.clear();
      }
      expect(compact.size).toBe(real.size);
      expect(compact.has(key)).toBe(real.has(key));
      expect(compact.get(key)).toBe(real.get(key));
      expect([...compact]).toEqual([...real]);
    }
  });

  it('offers the rest of the Map interface', () => {
    const compact = new CompactMap<string, number>([
      ['one', 1],
      ['two', 2],
    ]);
    expect([...compact.keys()]).toEqual(['one', 'two']);
    expect([...compact.values()]).toEqual([1, 2]);
    expect([...compact.entries()]).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
    const seen: Array<[string, number]> = [];
    compact.forEach((value, key, map) => {
      expect(map).toBe(compact);
      seen.push([key, value]);
    });
    expect(seen).toEqual([
      ['one', 1],
      ['two', 2],
    ]);
    expect(Object.prototype.toString.call(compact)).toBe('[object CompactMap]');
  });

  it('lets a walk delete what it walks over (as socket.io does when it closes every socket of a client)', () => {
    const compact = new CompactMap<string, number>([
      ['one', 1],
      ['two', 2],
    ]);
    const walked: string[] = [];
    for (const key of compact.keys()) {
      walked.push(key);
      compact.delete(key);
    }
    expect(walked).toEqual(['one', 'two']);
    expect(compact.size).toBe(0);
  });
});
