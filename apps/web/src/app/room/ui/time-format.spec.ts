import { formatClock, formatCountdown, formatFullTimestamp, formatSpan } from './time-format';

describe('formatClock', () => {
  it('shows hours and minutes in the given zone', () => {
    expect(formatClock('2026-03-01T08:05:59Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('8:05');
    expect(formatClock('2026-03-01T08:05:59Z', { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('17:05');
    expect(formatClock('2026-03-01T08:05:59Z', { locale: 'en-US', timeZone: 'UTC' })).toMatch(/^8:05\sAM$/);
  });
});

describe('formatFullTimestamp', () => {
  it('includes the date and seconds', () => {
    const full = formatFullTimestamp('2026-03-01T08:05:59Z', { locale: 'en-GB', timeZone: 'UTC' });
    expect(full).toContain('1 March 2026');
    expect(full).toContain('08:05:59');
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [-5000, '0:00'],
    [1, '0:01'],
    [9_000, '0:09'],
    [299_001, '5:00'],
    [299_000, '4:59'],
    [3_600_000, '1:00:00'],
    [3_723_000, '1:02:03'],
  ])('shows %s ms as %s', (ms, expected) => {
    expect(formatCountdown(ms)).toBe(expected);
  });
});

describe('formatSpan', () => {
  it.each([
    [30, '30 s'],
    [60, '1 min'],
    [600, '10 min'],
    [3600, '1 h'],
    [5400, '1 h 30 min'],
  ])('words %s seconds as %s', (seconds, expected) => {
    expect(formatSpan(seconds)).toBe(expected);
  });
});
