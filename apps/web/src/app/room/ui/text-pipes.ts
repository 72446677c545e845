/** Pure pipes, so link splitting and time formatting run once per value instead of on every render. */
import { Pipe, PipeTransform } from '@angular/core';
import { splitMentions, type MentionSegment } from '../mentions';
import { splitLinks, type TextSegment } from './link-segments';
import { formatClock, formatFullTimestamp } from './time-format';

@Pipe({ name: 'linkSegments' })
export class LinkSegmentsPipe implements PipeTransform {
  transform(text: string): TextSegment[] {
    return splitLinks(text);
  }
}

/** Mentions of current members inside a plain-text segment (links are never split). */
@Pipe({ name: 'mentionSegments' })
export class MentionSegmentsPipe implements PipeTransform {
  transform(text: string, nicks: readonly string[], myNick: string): MentionSegment[] {
    return splitMentions(text, nicks, myNick);
  }
}

@Pipe({ name: 'clockTime' })
export class ClockTimePipe implements PipeTransform {
  transform(time: string | number): string {
    return formatClock(time);
  }
}

@Pipe({ name: 'fullTime' })
export class FullTimePipe implements PipeTransform {
  transform(time: string | number): string {
    return formatFullTimestamp(time);
  }
}
