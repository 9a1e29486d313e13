// The one place that reads the wall clock. Logic takes a Clock (or an as-of date) as a parameter,
// so tests pin time with FixedClock and never depend on when they run.
export interface Clock {
  now(): Date;
  /** Today's date in the city's time zone, as YYYY-MM-DD. */
  today(): string;
}

export const CLOCK = Symbol('CLOCK');

// Building an Intl.DateTimeFormat costs far more than formatting with one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isoDateInZone(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in `timeZone`, as a UTC timestamp with the same digits. */
export function wallClockMs(instantMs: number, timeZone: string): number {
  let formatter = wallClockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instantMs));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
}

export class SystemClock implements Clock {
  constructor(private readonly timeZone = 'Asia/Tokyo') {}
  now(): Date {
    return new Date();
  }
  today(): string {
    return isoDateInZone(this.now(), this.timeZone);
  }
}

export class FixedClock implements Clock {
  private instant: Date;
  constructor(instant: string | Date, private readonly timeZone = 'Asia/Tokyo') {
    this.instant = typeof instant === 'string' ? new Date(instant) : instant;
  }
  now(): Date {
    return new Date(this.instant.getTime());
  }
  today(): string {
    return isoDateInZone(this.instant, this.timeZone);
  }
  set(instant: string | Date): void {
    this.instant = typeof instant === 'string' ? new Date(instant) : instant;
  }
}

/** An instant as local date and time in `timeZone` with its offset: 2026-11-24T10:00:00+09:00. */
export function zonedTimestamp(instant: string | Date, timeZone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const wall = wallClockMs(Math.floor(ms / 1000) * 1000, timeZone);
  const offsetMinutes = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(wall).toISOString().slice(0, 19)}${offset}`;
}
