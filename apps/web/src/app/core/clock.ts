/** Time comes from here so countdowns and expiry can be tested without sleeping. */
import { InjectionToken } from '@angular/core';

export type Clock = () => number;

export const CLOCK = new InjectionToken<Clock>('clock', { providedIn: 'root', factory: () => () => Date.now() });
