/** Sharing the room: the link with a copy button, a QR code for phones, and the native share sheet where there is one. */
import { ChangeDetectionStrategy, Component, ElementRef, input, signal, viewChild } from '@angular/core';
import { QRCodeComponent } from 'angularx-qrcode';

@Component({
  selector: 'tc-share-panel',
  imports: [QRCodeComponent],
  template: `
    <h2>Invite people</h2>
    <label for="share-link">Room link</label>
    <!-- A wrapping field: the whole link is readable even on a 360 px phone, and one tap on Copy takes it. -->
    <div class="row">
      <textarea
        #linkInput
        id="share-link"
        rows="2"
        readonly
        spellcheck="false"
        [value]="url()"
        (focus)="linkInput.select()"
      ></textarea>
      <button type="button" (click)="copy()">{{ copied() ? 'Copied' : 'Copy link' }}</button>
    </div>
    @if (canShare) {
      <button type="button" class="share" (click)="share()">Share…</button>
    }
    <p class="visually-hidden" role="status">{{ copied() ? 'Link copied to the clipboard' : '' }}</p>
    @defer (on viewport) {
      <qrcode
        class="qr"
        [qrdata]="url()"
        [width]="168"
        [margin]="2"
        errorCorrectionLevel="M"
        elementType="canvas"
        colorDark="#000000"
        colorLight="#ffffff"
        ariaLabel="QR code of the room link"
        title="Scan to open this room"
      />
    } @placeholder {
      <div class="qr-placeholder"></div>
    }
  `,
  styles: `
    .row {
      display: grid;
      gap: 0.4rem;
      justify-items: start;
    }
    textarea {
      resize: none;
      field-sizing: content;
      word-break: break-all;
      font-size: 0.9rem;
    }
    .share {
      margin-top: 0.5rem;
    }
    .qr,
    .qr-placeholder {
      display: block;
      margin-top: 0.75rem;
      width: 168px;
      height: 168px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SharePanel {
  readonly url = input.required<string>();

  protected readonly canShare = typeof navigator !== 'undefined' && typeof navigator.share === 'function';
  protected readonly copied = signal(false);
  private readonly linkInput = viewChild.required<ElementRef<HTMLTextAreaElement>>('linkInput');
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;

  protected async copy(): Promise<void> {
    const ok = await this.writeClipboard(this.url());
    this.copied.set(ok);
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => this.copied.set(false), 2000);
  }

  protected async share(): Promise<void> {
    try {
      await navigator.share({ title: 'tiny-chat room', text: 'Join me in this chat room', url: this.url() });
    } catch {
      // Closing the share sheet rejects; nothing to tell the user.
    }
  }

  /** The Clipboard API needs a secure context; on plain http (a LAN address) fall back to selecting and copying. */
  private async writeClipboard(text: string): Promise<boolean> {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      const input = this.linkInput().nativeElement;
      input.focus();
      input.select();
      return document.execCommand('copy');
    }
  }
}
