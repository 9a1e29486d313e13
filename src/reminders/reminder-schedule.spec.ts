import { msUntilNextRun } from './reminder-schedule';

describe('msUntilNextRun', () => {
  const at = (iso: string) => new Date(iso).getTime();

  it('should wait until HH:MM today in the city zone when it is still ahead', () => {
    // 2026-11-24 07:00 in Tokyo is 2026-11-23 22:00 UTC; 01:00 UTC is 10:00 in Tokyo
    expect(msUntilNextRun(at('2026-11-23T22:00:00Z'), '08:30', 'Asia/Tokyo')).toBe(90 * 60_000);
  });

  it('should wait until tomorrow once the time has passed, or is exactly now', () => {
    expect(msUntilNextRun(at('2026-11-23T23:30:00Z'), '08:30', 'Asia/Tokyo')).toBe(24 * 3_600_000);
    expect(msUntilNextRun(at('2026-11-24T01:00:00Z'), '08:30', 'Asia/Tokyo')).toBe(22.5 * 3_600_000);
  });

  it('should follow the configured zone, not UTC', () => {
    expect(msUntilNextRun(at('2026-11-24T07:00:00Z'), '08:30', 'UTC')).toBe(90 * 60_000);
  });
});
