/** The room's life, visible: the idle rule and the hard end, each with a live countdown. */
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ClockTimePipe, FullTimePipe } from './text-pipes';
import { formatCountdown, formatSpan } from './time-format';

@Component({
  selector: 'tc-room-life',
  imports: [ClockTimePipe, FullTimePipe],
  template: `
    <h2>Room life</h2>
    @if (idleTimeoutSec(); as idleSec) {
      <p>
        Closes after {{ span(idleSec) }} without activity
        @if (idleLeftMs(); as left) {
          <span class="countdown" role="timer" data-testid="idle-countdown">(in {{ countdown(left) }})</span>
        }
      </p>
    }
    @if (expiresAt(); as end) {
      <p>
        Closes at <time [attr.datetime]="iso(end)" [title]="end | fullTime">{{ end | clockTime }}</time> at the latest
        @if (ttlLeftMs(); as left) {
          <span class="countdown" role="timer">(in {{ countdown(left) }})</span>
        }
      </p>
    }
  `,
  styles: `
    p {
      margin: 0 0 0.35rem;
    }
    .countdown {
      color: var(--muted);
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RoomLife {
  readonly idleTimeoutSec = input<number | null>(null);
  readonly idleLeftMs = input<number | null>(null);
  readonly expiresAt = input<number | null>(null);
  readonly ttlLeftMs = input<number | null>(null);

  protected readonly span = formatSpan;
  protected readonly countdown = formatCountdown;
  protected iso(time: number): string {
    return new Date(time).toISOString();
  }
}
