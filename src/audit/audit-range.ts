import { addDays, IsoDate } from '../calendar';
import { wallClockMs } from '../common/clock';

// GET /api/v1/audit?from=&to= takes calendar days in the city's time zone; entries are stamped
// with UTC instants. A day D runs from D 00:00 local time to D+1 00:00 local time.

function zoneOffsetMs(instantMs: number, timeZone: string): number {
  return wallClockMs(instantMs, timeZone) - Math.floor(instantMs / 1000) * 1000;
}

/** The UTC instant (ISO) at which `date` begins in `timeZone`. */
export function startOfDayInZone(date: IsoDate, timeZone: string): string {
  const wallClock = Date.parse(`${date}T00:00:00Z`);
  // Two passes settle the offset when the day starts next to a daylight-saving change.
  let instant = wallClock - zoneOffsetMs(wallClock, timeZone);
  instant = wallClock - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

export interface InstantRange {
  /** Inclusive. */
  fromInstant?: string;
  /** Exclusive. */
  toInstant?: string;
}

/** [start of `from`, start of the day after `to`) in `timeZone`; either end may be open. */
export function auditRange(from: IsoDate | undefined, to: IsoDate | undefined, timeZone: string): InstantRange {
  return {
    fromInstant: from ? startOfDayInZone(from, timeZone) : undefined,
    toInstant: to ? startOfDayInZone(addDays(to, 1), timeZone) : undefined,
  };
}
