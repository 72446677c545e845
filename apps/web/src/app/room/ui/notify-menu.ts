/** The room's bell: whether a hidden tab notifies on mentions, on every message, or not at all. */
import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import type { NotifyLevel, NotifyPermission } from '../../core/desktop-notifications';

const CHOICES: readonly { level: NotifyLevel; label: string }[] = [
  { level: 'mentions', label: 'Mentions of me' },
  { level: 'all', label: 'All messages' },
  { level: 'off', label: 'Off' },
];

@Component({
  selector: 'tc-notify-menu',
  template: `
    <button
      type="button"
      class="bell"
      aria-controls="notify-menu"
      [attr.aria-expanded]="open()"
      [attr.aria-label]="'Notifications: ' + labelOf(level())"
      [title]="'Notifications: ' + labelOf(level())"
      (click)="open.set(!open())"
    >
      <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M8 1.5a1 1 0 0 0-1 1v.6A4.5 4.5 0 0 0 3.5 7.5v2.8L2.2 12a.6.6 0 0 0 .5 1h10.6a.6.6 0 0 0 .5-1l-1.3-1.7V7.5A4.5 4.5 0 0 0 9 3.1v-.6a1 1 0 0 0-1-1ZM6.3 14a1.8 1.8 0 0 0 3.4 0H6.3Z"
        />
        @if (level() === 'off') {
          <path stroke="currentColor" stroke-width="1.6" stroke-linecap="round" d="M2 2l12 12" />
        }
      </svg>
    </button>
    @if (open()) {
      <fieldset id="notify-menu" class="menu">
        <legend>Notify me while this tab is hidden</legend>
        @for (choice of choices; track choice.level) {
          <label>
            <input
              type="radio"
              name="notify-level"
              [value]="choice.level"
              [checked]="level() === choice.level"
              (change)="choose(choice.level)"
            />
            {{ choice.label }}
          </label>
        }
        @if (level() !== 'off' && permission() === 'denied') {
          <p class="hint" role="status">This browser blocks notifications for this site: allow them in its settings.</p>
        } @else if (level() !== 'off' && permission() === 'unsupported') {
          <p class="hint" role="status">This browser cannot show notifications; the tab title counts new messages.</p>
        }
      </fieldset>
    }
  `,
  styles: `
    :host {
      position: relative;
      display: inline-block;
    }
    .bell {
      display: inline-flex;
      align-items: center;
      padding: 0.45rem 0.6rem;
    }
    .menu {
      position: absolute;
      right: 0;
      top: calc(100% + 0.25rem);
      z-index: 5;
      min-width: 15rem;
      margin: 0;
      padding: 0.5rem 0.75rem 0.75rem;
      background: var(--surface);
      color: var(--text);
      border: 1px solid var(--border);
      border-radius: 8px;
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.15);
    }
    /* Floated, the legend sits inside the box like a heading instead of on its border. */
    legend {
      float: left;
      width: 100%;
      padding: 0;
      font-weight: 600;
    }
    label {
      clear: both;
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-weight: normal;
      margin: 0.3rem 0 0;
    }
    label input {
      width: auto;
    }
    .hint {
      margin: 0.5rem 0 0;
      font-size: 0.85rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(keydown.escape)': 'open.set(false)' },
})
export class NotifyMenu {
  readonly level = input.required<NotifyLevel>();
  readonly permission = input.required<NotifyPermission>();
  readonly levelChange = output<NotifyLevel>();

  protected readonly open = signal(false);
  protected readonly choices = CHOICES;

  protected labelOf(level: NotifyLevel): string {
    return CHOICES.find((c) => c.level === level)?.label ?? level;
  }

  protected choose(level: NotifyLevel): void {
    this.levelChange.emit(level);
  }
}
