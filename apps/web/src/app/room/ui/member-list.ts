/** Who is in the room and who is online right now. */
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Member } from '@tiny-chat/shared-types';

@Component({
  selector: 'tc-member-list',
  template: `
    <h2 id="members-title">
      Members
      <span class="count">({{ presenceKnown() ? onlineCount() + ' online' : 'online unknown' }})</span>
    </h2>
    <ul aria-labelledby="members-title">
      @for (member of members(); track member.memberId) {
        <!-- While we are disconnected ourselves, the last list we had may be wrong: nobody is shown as online. -->
        <li [class.offline]="presenceKnown() && !member.online" [class.unknown]="!presenceKnown()">
          <span class="dot" aria-hidden="true"></span>
          <bdi>{{ member.nick }}</bdi>
          @if (member.memberId === myMemberId()) {
            <span class="you">(you)</span>
          }
          <span class="visually-hidden">{{ stateOf(member) }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.3rem;
    }
    li {
      display: flex;
      gap: 0.45rem;
      align-items: center;
      min-width: 0;
    }
    .dot {
      flex: none;
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      background: var(--ok);
    }
    .offline {
      color: var(--muted);
    }
    .offline .dot {
      background: transparent;
      border: 2px solid var(--muted);
    }
    .unknown {
      color: var(--muted);
    }
    .unknown .dot {
      background: transparent;
      border: 2px dashed var(--muted);
    }
    .count,
    .you {
      color: var(--muted);
      font-weight: 400;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MemberList {
  readonly members = input.required<Member[]>();
  /** Decides "(you)" by memberId: a later member with a left member's nick is someone else. */
  readonly myMemberId = input.required<string>();
  /** False while this browser is disconnected: then who is online is not known. */
  readonly presenceKnown = input(true);
  protected readonly onlineCount = computed(() => this.members().filter((m) => m.online).length);

  protected stateOf(member: Member): string {
    if (!this.presenceKnown()) return 'presence unknown';
    return member.online ? 'online' : 'offline';
  }
}
