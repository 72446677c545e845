/**
 * localStorage that never throws: it can be off (private mode, a locked-down profile) or full. Whatever the browser
 * remembers here only saves a step (a nick prompt, a key in the link), so losing it must never break a page.
 */
export function readLocal(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value` under `key`, or removes the key for null; silently does nothing when storage is unavailable. */
export function writeLocal(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* see readLocal */
  }
}
