/**
 * The composer: Enter sends, Shift+Enter adds a line, a live code-point counter against the room's limit, and `@`
 * offers the members' nicks (arrow keys move, Tab or Enter takes one, Escape closes, a click takes one too).
 */
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { completeMention, mentionCandidates, mentionQuery } from '../mentions';
import { checkComposer } from './composer-rules';

@Component({
  selector: 'tc-composer',
  template: `
    <form class="composer" (submit)="submit($event)">
      <label for="composer-text" class="visually-hidden">Message</label>
      @if (suggestions().length > 0) {
        <ul id="mention-options" class="mentions" role="listbox" aria-label="Members to mention">
          @for (nick of suggestions(); track nick; let i = $index) {
            <li
              role="option"
              [id]="'mention-option-' + i"
              [attr.aria-selected]="i === active()"
              [class.active]="i === active()"
              tabindex="-1"
              (mousedown)="$event.preventDefault()"
              (click)="take(nick)"
              (keydown.enter)="take(nick)"
            >
              <bdi>{{ nick }}</bdi>
            </li>
          }
        </ul>
      }
      <textarea
        #area
        id="composer-text"
        name="text"
        rows="1"
        placeholder="Write a message…"
        enterkeyhint="send"
        aria-describedby="composer-count"
        aria-autocomplete="list"
        [attr.aria-controls]="suggestions().length > 0 ? 'mention-options' : null"
        [attr.aria-activedescendant]="suggestions().length > 0 ? 'mention-option-' + active() : null"
        [attr.aria-invalid]="check().over"
        [readOnly]="disabled()"
        [attr.aria-disabled]="disabled() || null"
        [value]="text()"
        (input)="onInput(area.value)"
        (click)="findMention()"
        (blur)="closeMentions()"
        (keydown)="onKeydown($event)"
      ></textarea>
      <div class="side">
        <button type="submit" class="primary" [disabled]="disabled() || !check().canSend">Send</button>
        <span id="composer-count" class="count" [class.over]="check().over">
          {{ check().count }} / {{ check().max }}
          @if (check().over) {
            <span class="visually-hidden">characters: too long</span>
          }
        </span>
      </div>
    </form>
  `,
  styles: `
    .composer {
      position: relative;
      display: flex;
      gap: 0.5rem;
      align-items: flex-end;
      padding: 0.5rem 0.75rem calc(0.5rem + env(safe-area-inset-bottom));
      border-top: 1px solid var(--border);
      background: var(--surface);
    }
    textarea {
      flex: 1;
      resize: none;
      field-sizing: content;
      min-height: 2.6rem;
      max-height: 30dvh;
      overflow-y: auto;
    }
    .side {
      display: grid;
      justify-items: end;
      gap: 0.15rem;
    }
    .mentions {
      position: absolute;
      left: 0.75rem;
      bottom: calc(100% + 0.25rem);
      z-index: 2;
      margin: 0;
      padding: 0.25rem 0;
      min-width: 12rem;
      max-width: calc(100% - 1.5rem);
      list-style: none;
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 8px;
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.15);
    }
    .mentions li {
      padding: 0.35rem 0.75rem;
      cursor: pointer;
    }
    .mentions li.active {
      background: var(--accent);
      color: var(--accent-text);
    }
    .count {
      font-size: 0.75rem;
      color: var(--muted);
      font-variant-numeric: tabular-nums;
    }
    .count.over {
      color: var(--danger);
      font-weight: 700;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Composer {
  readonly maxLength = input.required<number>();
  /** The room ended: the draft stays, readable and selectable, but nothing can be sent. */
  readonly disabled = input(false);
  /** Current members' nicks to offer after `@` (never my own). */
  readonly nicks = input<readonly string[]>([]);
  readonly myNick = input('');
  readonly send = output<string>();
  /** The draft holds text after an edit: someone is typing (the room store throttles what it tells the room). */
  readonly typing = output<void>();

  protected readonly text = signal('');
  /** The `@query` being typed (its start and text), or null. */
  private readonly mention = signal<{ start: number; query: string } | null>(null);
  protected readonly suggestions = computed(() => {
    const mention = this.mention();
    return mention && !this.disabled() ? mentionCandidates(mention.query, this.nicks(), this.myNick()) : [];
  });
  protected readonly active = signal(0);
  protected readonly check = computed(() => checkComposer(this.text(), this.maxLength()));
  private readonly area = viewChild.required<ElementRef<HTMLTextAreaElement>>('area');

  constructor() {
    // Ready to type on arrival with a mouse or keyboard; on touch screens this would pop the keyboard over the room.
    afterNextRender(() => {
      if (typeof matchMedia === 'function' && matchMedia('(pointer: fine)').matches) this.area().nativeElement.focus();
    });
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.findMention();
    if (value.trim() !== '') this.typing.emit();
  }

  /** Looks for an `@query` ending at the caret (after typing, or after a click moved the caret). */
  protected findMention(): void {
    const area = this.area().nativeElement;
    const found = area.selectionStart === area.selectionEnd ? mentionQuery(area.value, area.selectionStart) : null;
    if (found?.start !== this.mention()?.start || found?.query !== this.mention()?.query) this.active.set(0);
    this.mention.set(found);
  }

  protected closeMentions(): void {
    this.mention.set(null);
  }

  protected onKeydown(key: KeyboardEvent): void {
    // While an IME is composing, its keys are its own.
    if (key.isComposing) return;
    const offered = this.suggestions();
    if (offered.length > 0) {
      if (key.key === 'ArrowDown' || key.key === 'ArrowUp') {
        key.preventDefault();
        const step = key.key === 'ArrowDown' ? 1 : -1;
        this.active.update((i) => (i + step + offered.length) % offered.length);
        return;
      }
      if ((key.key === 'Enter' && !key.shiftKey) || key.key === 'Tab') {
        key.preventDefault();
        this.take(offered[this.active()] ?? offered[0] ?? '');
        return;
      }
      if (key.key === 'Escape') {
        // Closes the list only: Escape elsewhere on the page (closing panels) stays for the next press.
        key.stopPropagation();
        this.closeMentions();
        return;
      }
    }
    // Shift+Enter is a new line.
    if (key.key === 'Enter' && !key.shiftKey) {
      key.preventDefault();
      this.submit(key);
    }
  }

  /** Puts `@nick ` in place of the query being typed, the caret after it. */
  protected take(nick: string): void {
    const mention = this.mention();
    const area = this.area().nativeElement;
    if (!mention || !nick) return;
    const done = completeMention(area.value, mention.start, area.selectionStart, nick);
    area.value = done.text;
    area.setSelectionRange(done.caret, done.caret);
    this.text.set(done.text);
    this.mention.set(null);
    area.focus();
  }

  protected submit(event: Event): void {
    event.preventDefault();
    if (this.disabled() || !this.check().canSend) return;
    this.send.emit(this.text());
    this.text.set('');
    this.mention.set(null);
  }
}
