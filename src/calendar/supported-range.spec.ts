import { formatDeadline, formatFiscalQuarter, formatWarekiDate, formatWarekiMonth } from './wareki';
import { isSupportedDate, isSupportedMonth, FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE } from './supported-range';

describe('supported date window', () => {
  it('should accept 1989-01-08 … 2099-12-31 and nothing else', () => {
    expect(isSupportedDate('1989-01-08')).toBe(true);
    expect(isSupportedDate('2099-12-31')).toBe(true);
    for (const date of ['1989-01-07', '1867-12-31', '0001-01-01', '2100-01-01', '9999-12-31', '2026-02-30', 'x', 20260401]) {
      expect(isSupportedDate(date)).toBe(false);
    }
    expect(isSupportedMonth('1989-01')).toBe(true);
    expect(isSupportedMonth('2099-12')).toBe(true);
    expect(isSupportedMonth('1988-12')).toBe(false);
    expect(isSupportedMonth('2100-01')).toBe(false);
    expect(isSupportedMonth('0001-01')).toBe(false);
  });

  it('should hold only dates every 和暦 formatter prints', () => {
    for (const date of [FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE]) {
      expect(() => [formatWarekiDate(date), formatWarekiDate(date, 'short'), formatDeadline(date), formatFiscalQuarter(date), formatWarekiMonth(date.slice(0, 7))]).not.toThrow();
    }
    expect(formatWarekiDate(FIRST_SUPPORTED_DATE)).toBe('平成元年1月8日');
  });
});
