/** The only question a room link asks: which nick to use. */
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  afterRenderEffect,
  input,
  linkedSignal,
  output,
  viewChild,
} from '@angular/core';
import { AccountMenu } from '../../account/account-menu';
import { limitNick } from './nick-rules';

@Component({
  selector: 'tc-nick-prompt',
  imports: [AccountMenu],
  template: `
    <main class="card prompt">
      <h1>Join this room</h1>
      @if (memberCount() > 0) {
        <p class="hint">{{ memberCount() }} {{ memberCount() === 1 ? 'person is' : 'people are' }} here.</p>
      }
      <form (submit)="submit($event)">
        <label for="nick-input">Your nick</label>
        <input
          #nickInput
          id="nick-input"
          name="nick"
          autocomplete="nickname"
          required
          [value]="nick()"
          (input)="onInput(nickInput)"
          [attr.aria-invalid]="error() ? true : null"
          [attr.aria-describedby]="error() ? 'nick-error' : null"
        />
        @if (error(); as message) {
          <p id="nick-error" class="error" role="alert">{{ message }}</p>
        }
        <button type="submit" class="primary" [disabled]="busy() || !nick().trim()">
          {{ busy() ? 'Joining…' : 'Join room' }}
        </button>
      </form>
      <!-- With AUTH_MODE=oidc: sign in here when the server lets only signed-in people join (ROOMS_REQUIRE_LOGIN). -->
      <tc-account-menu class="account" />
    </main>
  `,
  styles: `
    :host {
      display: block;
      padding: 2rem 1rem;
    }
    .prompt {
      max-width: 26rem;
      margin: 0 auto;
    }
    h1 {
      margin: 0 0 0.5rem;
      font-size: 1.4rem;
    }
    .account {
      margin-top: 1rem;
    }
    form {
      display: grid;
      gap: 0.6rem;
      margin-top: 0.75rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NickPrompt {
  readonly initialNick = input('');
  readonly error = input<string | null>(null);
  readonly busy = input(false);
  readonly memberCount = input(0);
  readonly join = output<string>();

  protected readonly nick = linkedSignal(() => this.initialNick());
  private readonly nickInput = viewChild.required<ElementRef<HTMLInputElement>>('nickInput');

  constructor() {
    // The page asks exactly one thing: put the cursor there.
    afterNextRender(() => this.nickInput().nativeElement.focus());
    // After NICK_TAKEN or NICK_INVALID the typed nick stays, selected, ready to be changed.
    afterRenderEffect(() => {
      if (!this.error()) return;
      const field = this.nickInput().nativeElement;
      field.focus();
      field.select();
    });
  }

  /** At most 32 code points, counted the server's way; the cursor stays where it was. */
  protected onInput(field: HTMLInputElement): void {
    const limited = limitNick(field.value);
    if (limited !== field.value) field.value = limited;
    this.nick.set(limited);
  }

  protected submit(event: Event): void {
    event.preventDefault();
    if (this.nick().trim()) this.join.emit(this.nick());
  }
}
