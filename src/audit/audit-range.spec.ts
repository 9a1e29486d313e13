import { auditRange, startOfDayInZone } from './audit-range';

describe('audit range', () => {
  it('should start a Tokyo day at 15:00 UTC the day before', () => {
    expect(startOfDayInZone('2026-11-24', 'Asia/Tokyo')).toBe('2026-11-23T15:00:00.000Z');
    expect(startOfDayInZone('2026-01-01', 'UTC')).toBe('2026-01-01T00:00:00.000Z');
  });

  it('should follow daylight saving time where the zone has it', () => {
    expect(startOfDayInZone('2026-07-01', 'Europe/Berlin')).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDayInZone('2026-12-01', 'Europe/Berlin')).toBe('2026-11-30T23:00:00.000Z');
    // the day of the spring change still starts at local midnight (CET)
    expect(startOfDayInZone('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
  });

  it('should include the whole `to` day and leave open ends open', () => {
    expect(auditRange('2026-11-01', '2026-11-30', 'Asia/Tokyo')).toEqual({
      fromInstant: '2026-10-31T15:00:00.000Z',
      toInstant: '2026-11-30T15:00:00.000Z',
    });
    expect(auditRange(undefined, undefined, 'Asia/Tokyo')).toEqual({ fromInstant: undefined, toInstant: undefined });
  });
});
