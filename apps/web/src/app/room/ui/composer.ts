/** The composer: Enter sends, Shift+Enter adds a line, a live code-point counter against the room's limit. */
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
import { checkComposer } from './composer-rules';

@Component({
  selector: 'tc-composer',
  template: `
    <form class="composer" (submit)="submit($event)">
      <label for="composer-text" class="visually-hidden">Message</label>
      <textarea
        #area
        id="composer-text"
        name="text"
        rows="1"
        placeholder="Write a message…"
        enterkeyhint="send"
        aria-describedby="composer-count"
        [attr.aria-invalid]="check().over"
        [readOnly]="disabled()"
        [attr.aria-disabled]="disabled() || null"
        [value]="text()"
        (input)="onInput(area.value)"
        (keydown.enter)="onEnter($event)"
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
  readonly send = output<string>();
  /** The draft holds text after an edit: someone is typing (the room store throttles what it tells the room). */
  readonly typing = output<void>();

  protected readonly text = signal('');
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
    if (value.trim() !== '') this.typing.emit();
  }

  protected onEnter(event: Event): void {
    const key = event as KeyboardEvent;
    // Shift+Enter is a new line; Enter while an IME is composing confirms the composition.
    if (key.shiftKey || key.isComposing) return;
    event.preventDefault();
    this.submit(event);
  }

  protected submit(event: Event): void {
    event.preventDefault();
    if (this.disabled() || !this.check().canSend) return;
    this.send.emit(this.text());
    this.text.set('');
  }
}
