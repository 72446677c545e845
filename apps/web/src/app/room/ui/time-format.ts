/** Pure time wording for messages and the room's life: local clock times, full timestamps, countdowns. */

export interface TimeFormatOptions {
  locale?: string;
  timeZone?: string;
}

// Building an Intl formatter is costly and a long room renders many times: keep one per style and options.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(style: 'clock' | 'full', options: TimeFormatOptions): Intl.DateTimeFormat {
  const key = `${style}|${options.locale ?? ''}|${options.timeZone ?? ''}`;
  let found = formatters.get(key);
  if (!found) {
    const fields: Intl.DateTimeFormatOptions =
      style === 'clock' ? { hour: 'numeric', minute: '2-digit' } : { dateStyle: 'full', timeStyle: 'medium' };
    found = new Intl.DateTimeFormat(options.locale, { ...fields, timeZone: options.timeZone });
    formatters.set(key, found);
  }
  return found;
}

/** "14:05" or "2:05 PM" in the reader's locale and zone. */
export function formatClock(time: string | number, options: TimeFormatOptions = {}): string {
  return formatter('clock', options).format(new Date(time));
}

/** Full date and time with seconds, for hover titles. */
export function formatFullTimestamp(time: string | number, options: TimeFormatOptions = {}): string {
  return formatter('full', options).format(new Date(time));
}

/** A live countdown: "0:09", "4:59", "1:02:03"; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}

/** A configured span in words: "30 s", "10 min", "1 h 30 min", "2 h". */
export function formatSpan(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
