/**
 * Desktop notifications (the Notification API, only here): each room's choice "mentions / all / off", kept in
 * localStorage, and showing one. The browser's permission is asked only when a person turns notifications on.
 */
import { Injectable, inject, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { readLocal, writeLocal } from './local-store';

export type NotifyLevel = 'mentions' | 'all' | 'off';

/** A room nobody chose for yet notifies on mentions, as chat apps do, once the browser allows notifications. */
export const DEFAULT_NOTIFY_LEVEL: NotifyLevel = 'mentions';

const LEVEL_PREFIX = 'tiny-chat:notify:';

/** What the browser allows: 'unsupported' where there is no Notification API (e.g. iOS Safari outside a web app). */
export type NotifyPermission = NotificationPermission | 'unsupported';

@Injectable({ providedIn: 'root' })
export class DesktopNotifications {
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly permissionSignal = signal<NotifyPermission>(this.currentPermission());
  readonly permission = this.permissionSignal.asReadonly();

  levelFor(roomId: string): NotifyLevel {
    const stored = readLocal(LEVEL_PREFIX + roomId);
    return stored === 'mentions' || stored === 'all' || stored === 'off' ? stored : DEFAULT_NOTIFY_LEVEL;
  }

  /** Keeps the choice; turning notifications on asks the browser's permission if it was never asked. */
  async setLevel(roomId: string, level: NotifyLevel): Promise<void> {
    writeLocal(LEVEL_PREFIX + roomId, level);
    const api = this.api();
    if (level !== 'off' && api && api.permission === 'default') {
      try {
        await api.requestPermission();
      } catch {
        /* an old callback-only browser, or a refusal: the permission below says which */
      }
    }
    this.permissionSignal.set(this.currentPermission());
  }

  /** Shows one notification (when the browser allows it); a click brings the tab forward. */
  show(title: string, body: string, tag: string): void {
    const api = this.api();
    if (!api || api.permission !== 'granted') return;
    try {
      const notification = new api(title, { body, tag });
      notification.onclick = () => {
        this.window?.focus();
        notification.close();
      };
    } catch {
      // Chrome on Android allows notifications only from a service worker: the title's unread count still tells.
    }
  }

  private api(): typeof Notification | null {
    const api = (this.window as (Window & { Notification?: typeof Notification }) | null)?.Notification;
    return typeof api === 'function' ? api : null;
  }

  private currentPermission(): NotifyPermission {
    return this.api()?.permission ?? 'unsupported';
  }
}
