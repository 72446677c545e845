/** Who is in the room and who is online right now. */
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Member } from '@tiny-chat/shared-types';

@Component({
  selector: 'tc-member-list',
  template: `
    <h2 id="members-title">
      Members <span class="count">({{ onlineCount() }} online)</span>
    </h2>
    <ul aria-labelledby="members-title">
      @for (member of members(); track member.nick) {
        <li [class.offline]="!member.online">
          <span class="dot" aria-hidden="true"></span>
          <bdi>{{ member.nick }}</bdi>
          @if (member.nick === myNick()) {
            <span class="you">(you)</span>
          }
          <span class="visually-hidden">{{ member.online ? 'online' : 'offline' }}</span>
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
  readonly myNick = input.required<string>();
  protected readonly onlineCount = computed(() => this.members().filter((m) => m.online).length);
}
