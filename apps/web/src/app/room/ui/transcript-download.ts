/** "Download transcript": the room's conversation as a .txt or .json file, made in the browser (no server endpoint). */
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { transcriptFileName, transcriptJson, transcriptText, type TranscriptInput } from '../transcript';

@Component({
  selector: 'tc-transcript-download',
  template: `
    <h2 [id]="headingId()">Download transcript</h2>
    <div class="row" role="group" [attr.aria-labelledby]="headingId()">
      <button type="button" [disabled]="busy()" (click)="download('txt')">Text (.txt)</button>
      <button type="button" [disabled]="busy()" (click)="download('json')">JSON (.json)</button>
    </div>
  `,
  styles: `
    h2 {
      margin: 0 0 0.4rem;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TranscriptDownload {
  /** Gathers what the file holds (the room store catches up and decrypts first). */
  readonly source = input.required<() => Promise<TranscriptInput>>();
  /** Two of these can be on one page (the panel and the closed-room banner): their headings need their own ids. */
  readonly headingId = input('transcript-title');

  protected readonly busy = signal(false);
  private readonly document = inject(DOCUMENT);

  protected async download(ext: 'txt' | 'json'): Promise<void> {
    this.busy.set(true);
    try {
      const transcript = await this.source()();
      const content = ext === 'txt' ? transcriptText(transcript) : transcriptJson(transcript);
      const type = ext === 'txt' ? 'text/plain;charset=utf-8' : 'application/json';
      const url = URL.createObjectURL(new Blob([content], { type }));
      const link = this.document.createElement('a');
      link.href = url;
      link.download = transcriptFileName(transcript.room.roomId, transcript.exportedAt, ext);
      link.click();
      // The download has its own copy once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } finally {
      this.busy.set(false);
    }
  }
}
