import { wallClockMs } from '../common/clock';

// When the next daily run is due: `time` (HH:MM) in the city's zone, today if still ahead, else
// tomorrow. Worked out on wall-clock digits so TRACKER_TIME_ZONE, not the server's zone, decides.

const DAY_MS = 24 * 60 * 60 * 1000;

export function msUntilNextRun(nowMs: number, time: string, timeZone: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  const wallNow = wallClockMs(nowMs, timeZone);
  const startOfDay = wallNow - (wallNow % DAY_MS);
  let next = startOfDay + hours * 3_600_000 + minutes * 60_000;
  if (next <= wallNow) next += DAY_MS;
  return next - wallNow;
}
