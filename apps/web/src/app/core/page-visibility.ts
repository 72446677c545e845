/** Whether the tab is hidden, as a signal (drives the unread count in the title). */
import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';

@Injectable({ providedIn: 'root' })
export class PageVisibility {
  private readonly document = inject(DOCUMENT);
  private readonly hiddenSignal = signal(this.document.visibilityState === 'hidden');
  readonly hidden = this.hiddenSignal.asReadonly();

  constructor() {
    const update = () => this.hiddenSignal.set(this.document.visibilityState === 'hidden');
    this.document.addEventListener('visibilitychange', update);
    inject(DestroyRef).onDestroy(() => this.document.removeEventListener('visibilitychange', update));
  }
}
