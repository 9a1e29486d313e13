import { DomainError } from '../common/domain-error';
import { defaultSeriesFrom, MAX_SERIES_POINTS, seriesMonths } from './progress-series';

describe('seriesMonths', () => {
  it('should measure each month at its end and the last month at `to`', () => {
    expect(seriesMonths('2026-09-15', '2026-11-24')).toEqual([
      { month: '2026-09', asOf: '2026-09-30', monthLabel: '令和8年9月' },
      { month: '2026-10', asOf: '2026-10-31', monthLabel: '令和8年10月' },
      { month: '2026-11', asOf: '2026-11-24', monthLabel: '令和8年11月' },
    ]);
  });

  it('should give one point for a range inside one month, and cross the year and February ends', () => {
    expect(seriesMonths('2026-11-01', '2026-11-01')).toEqual([{ month: '2026-11', asOf: '2026-11-01', monthLabel: '令和8年11月' }]);
    expect(seriesMonths('2027-12-01', '2028-02-29').map((point) => point.asOf)).toEqual(['2027-12-31', '2028-01-31', '2028-02-29']);
  });

  it('should allow sixty months and refuse sixty-one with range_too_long', () => {
    expect(seriesMonths('2022-01-01', '2026-12-31')).toHaveLength(MAX_SERIES_POINTS);
    let error: unknown;
    try {
      seriesMonths('2021-12-31', '2026-12-01');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('range_too_long');
    expect((error as DomainError).message).toContain('61か月');
  });

  it('should refuse a range that ends before it starts, or a date that is not one', () => {
    expect(() => seriesMonths('2026-11-02', '2026-11-01')).toThrow(expect.objectContaining({ code: 'invalid_range' }));
    expect(() => seriesMonths('2026-02-30', '2026-11-01')).toThrow(expect.objectContaining({ code: 'invalid_date' }));
  });

  it('should default to the 24 months up to `to`', () => {
    expect(defaultSeriesFrom('2026-11-24')).toBe('2024-12-01');
    expect(seriesMonths(defaultSeriesFrom('2026-11-24'), '2026-11-24')).toHaveLength(24);
  });
});
