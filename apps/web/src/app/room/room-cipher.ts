/**
 * One encrypted room's key in this page, and the plaintexts of its envelopes: sealing own texts in the order they
 * were written, opening the room's texts and title for display. A plain room has no cipher.
 */
import { signal } from '@angular/core';
import { decryptText, encryptText, TITLE_AD, type RoomKey } from '../core/room-crypto';

/** What a message that does not open with this page's key shows instead of its text. */
export const UNDECRYPTABLE_TEXT = 'could not be decrypted';

export class RoomCipher {
  /** Envelope -> its plaintext, or null when it does not decrypt. Envelopes are unique (fresh IV), so never stale. */
  private readonly plainSignal = signal<ReadonlyMap<string, string | null>>(new Map());
  /** Sealing is asynchronous: each own text waits for the one written before it, so sends leave in their order. */
  private sealed: Promise<unknown> = Promise.resolve();
  /** Envelopes being opened now. */
  private readonly opening = new Map<string, Promise<void>>();

  constructor(
    private readonly roomId: string,
    readonly key: RoomKey,
  ) {}

  /** An own text as the envelope to send; its plaintext is known at once, so it never shows as decrypting. */
  seal(text: string): Promise<string> {
    const next = this.sealed.then(() => encryptText(this.key.key, this.roomId, text));
    this.sealed = next.catch(() => undefined);
    return next.then((envelope) => {
      this.learn(envelope, text);
      return envelope;
    });
  }

  /** Opens the envelopes not opened yet, in the background; `display` follows as they come. */
  reveal(envelopes: readonly string[]): void {
    const plain = this.plainSignal();
    for (const envelope of envelopes) {
      if (plain.has(envelope) || this.opening.has(envelope)) continue;
      const opened = decryptText(this.key.key, this.roomId, envelope).then((text) => {
        this.opening.delete(envelope);
        this.learn(envelope, text);
      });
      this.opening.set(envelope, opened);
    }
  }

  /** Resolves once these envelopes are open (or known not to open). */
  async settled(envelopes: readonly string[]): Promise<void> {
    this.reveal(envelopes);
    await Promise.all(envelopes.map((e) => this.opening.get(e)));
  }

  /** What to show for an envelope: its plaintext, '' while it is being opened, or UNDECRYPTABLE_TEXT. */
  display(envelope: string): string {
    const plain = this.plainSignal().get(envelope);
    if (plain === undefined) return '';
    return plain ?? UNDECRYPTABLE_TEXT;
  }

  /** Whether the envelope is open (false while decrypting, and for one that does not decrypt). */
  isOpen(envelope: string): boolean {
    return typeof this.plainSignal().get(envelope) === 'string';
  }

  /** The room's title, or null when it does not decrypt with this key. */
  openTitle(envelope: string): Promise<string | null> {
    return decryptText(this.key.key, TITLE_AD, envelope);
  }

  private learn(envelope: string, text: string | null): void {
    this.plainSignal.update((plain) => new Map(plain).set(envelope, text));
  }
}
