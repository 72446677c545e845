/** Pure pipes, so link splitting and time formatting run once per value instead of on every render. */
import { Pipe, PipeTransform } from '@angular/core';
import { splitLinks, type TextSegment } from './link-segments';
import { formatClock, formatFullTimestamp } from './time-format';

@Pipe({ name: 'linkSegments' })
export class LinkSegmentsPipe implements PipeTransform {
  transform(text: string): TextSegment[] {
    return splitLinks(text);
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
