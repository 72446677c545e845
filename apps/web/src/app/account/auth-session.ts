/**
 * Who is signed in (GET /api/auth/me), loaded once per page load; sign-in is a full-page redirect through the
 * identity provider, sign-out a POST that deletes the server-side session.
 */
import { Injectable, computed, inject, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import type { AuthMeResponse } from '@tiny-chat/shared-types';
import { RoomsApi } from '../core/rooms-api';

/** sessionStorage: the nick of a "Create a room" that had to go through sign-in first, to finish it on return. */
const PENDING_CREATE = 'tiny-chat:create-after-sign-in';

/** What "Create a room" was asked with, kept across the sign-in it needed. */
export interface PendingCreate {
  nick: string;
  title: string;
  encrypted: boolean;
}

@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly api = inject(RoomsApi);
  private readonly document = inject(DOCUMENT);
  private readonly meSignal = signal<AuthMeResponse | null>(null);
  private loading: Promise<AuthMeResponse | null> | null = null;

  /** null until loaded (or when the server could not be asked: then the app behaves as AUTH_MODE=none). */
  readonly me = this.meSignal.asReadonly();
  readonly oidc = computed(() => this.meSignal()?.authMode === 'oidc');
  readonly user = computed(() => this.meSignal()?.user ?? null);
  /** With oidc, creating a room needs a session. */
  readonly mustSignInToCreate = computed(() => this.oidc() && this.user() === null);

  load(): Promise<AuthMeResponse | null> {
    this.loading ??= this.api.me().then((result) => {
      const me = result.ok ? result.data : null;
      this.meSignal.set(me);
      return me;
    });
    return this.loading;
  }

  /** Leaves the page for the provider; the server sends the browser back to `returnTo` (a same-origin path). */
  signIn(returnTo: string = this.currentPath()): void {
    this.document.location.assign(`/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  }

  async signOut(): Promise<void> {
    await this.api.logout();
    const me = this.meSignal();
    if (me) this.meSignal.set({ ...me, user: null });
  }

  /** Remembers a create that needs sign-in first and starts the sign-in; `takePendingCreate` finishes it. */
  signInToCreate(create: PendingCreate): void {
    try {
      sessionStorage.setItem(PENDING_CREATE, JSON.stringify(create));
    } catch {
      /* the person clicks "Create a room" once more after signing in */
    }
    this.signIn('/');
  }

  /** The create started before sign-in, once (null when none is pending or what was kept is unreadable). */
  takePendingCreate(): PendingCreate | null {
    try {
      const kept = sessionStorage.getItem(PENDING_CREATE);
      sessionStorage.removeItem(PENDING_CREATE);
      const create = kept === null ? null : (JSON.parse(kept) as Partial<PendingCreate>);
      if (!create || typeof create.nick !== 'string') return null;
      return { nick: create.nick, title: String(create.title ?? ''), encrypted: create.encrypted === true };
    } catch {
      return null;
    }
  }

  private currentPath(): string {
    const { pathname, search } = this.document.location;
    return pathname + search;
  }
}
