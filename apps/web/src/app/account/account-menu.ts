/** "Sign in", or the signed-in user's name and "Sign out"; renders nothing unless the server runs AUTH_MODE=oidc. */
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { AuthSession } from './auth-session';

@Component({
  selector: 'tc-account-menu',
  template: `
    @if (auth.oidc()) {
      @if (auth.user(); as user) {
        <span class="name" data-testid="account-name" [title]="user.name">{{ user.name }}</span>
        <button type="button" [disabled]="busy()" (click)="signOut()">Sign out</button>
      } @else {
        <button type="button" (click)="auth.signIn()">Sign in</button>
      }
    }
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-width: 0;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      max-width: 14rem;
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountMenu {
  protected readonly auth = inject(AuthSession);
  protected readonly busy = signal(false);

  constructor() {
    void this.auth.load();
  }

  protected async signOut(): Promise<void> {
    this.busy.set(true);
    await this.auth.signOut();
    this.busy.set(false);
  }
}
