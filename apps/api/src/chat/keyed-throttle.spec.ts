import { KeyedThrottle } from './keyed-throttle';

describe('KeyedThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function recorder() {
    const calls: Array<[string, number]> = [];
    const throttle = new KeyedThrottle<number>(100, (key, value) => calls.push([key, value]));
    return { calls, throttle };
  }

  it('sends the first value at once and merges the rest of the interval into one call with the latest', () => {
    const { calls, throttle } = recorder();
    throttle.push('a', 1);
    expect(calls).toEqual([['a', 1]]);
    throttle.push('a', 2);
    throttle.push('a', 3);
    expect(calls).toEqual([['a', 1]]);
    jest.advanceTimersByTime(100);
    expect(calls).toEqual([
      ['a', 1],
      ['a', 3],
    ]);
  });

  it('keeps throttling while values keep coming, and goes quiet (then immediate again) when they stop', () => {
    const { calls, throttle } = recorder();
    for (let i = 1; i <= 10; i++) {
      throttle.push('a', i);
      jest.advanceTimersByTime(30);
    }
    // 300 ms of pushes every 30 ms: the first at once, then one per 100 ms.
    expect(calls.map(([, v]) => v)).toEqual([1, 4, 7, 10]);
    jest.advanceTimersByTime(1000);
    expect(calls.map(([, v]) => v)).toEqual([1, 4, 7, 10]);
    throttle.push('a', 11);
    expect(calls.at(-1)).toEqual(['a', 11]);
  });

  it('throttles each key on its own', () => {
    const { calls, throttle } = recorder();
    throttle.push('a', 1);
    throttle.push('b', 1);
    throttle.push('a', 2);
    expect(calls).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    jest.advanceTimersByTime(100);
    expect(calls).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
    ]);
  });

  it('cancel drops the pending value and makes the next push immediate', () => {
    const { calls, throttle } = recorder();
    throttle.push('a', 1);
    throttle.push('a', 2);
    throttle.cancel('a');
    jest.advanceTimersByTime(500);
    expect(calls).toEqual([['a', 1]]);
    throttle.push('a', 3);
    expect(calls).toEqual([
      ['a', 1],
      ['a', 3],
    ]);
  });

  it('after close() drops pending calls, clears every timer and ignores later pushes (shutdown)', () => {
    const { calls, throttle } = recorder();
    throttle.push('a', 1);
    throttle.push('a', 2);
    throttle.push('b', 1);
    expect(throttle.size).toBe(2);
    throttle.close();
    expect(throttle.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    throttle.push('c', 1);
    jest.advanceTimersByTime(1000);
    expect(calls).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});
