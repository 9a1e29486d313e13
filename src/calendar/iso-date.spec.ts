import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import {
  addDays,
  addMonths,
  addMonthsToMonth,
  compareIsoDate,
  daysBetween,
  endOfMonth,
  epochDayToIsoDate,
  excelSerialToIsoDate,
  isoDateParts,
  isoDateToEpochDay,
  isValidIsoDate,
  isValidIsoMonth,
  maxIsoDate,
  minIsoDate,
  monthOf,
  monthsBetween,
  startOfMonth,
  toIsoDate,
  toIsoMonth,
} from './iso-date';

describe('isValidIsoDate', () => {
  it.each(['2026-04-01', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts %s', (s) => {
    expect(isValidIsoDate(s)).toBe(true);
  });

  it.each([
    '2026-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '0000-01-01',
    '2026-4-1',
    '2026/04/01',
    '2026-04-01T00:00:00Z',
    ' 2026-04-01',
    '',
  ])('rejects %j', (s) => {
    expect(isValidIsoDate(s)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isValidIsoDate(20260401)).toBe(false);
    expect(isValidIsoDate(null)).toBe(false);
    expect(isValidIsoDate(undefined)).toBe(false);
  });
});

describe('toIsoDate / toIsoMonth', () => {
  it('zero-pads', () => {
    expect(toIsoDate(2026, 4, 1)).toBe('2026-04-01');
    expect(toIsoDate(33, 1, 2)).toBe('0033-01-02');
    expect(toIsoMonth(2026, 4)).toBe('2026-04');
  });

  it('returns null for non-existent dates and bad numbers', () => {
    expect(toIsoDate(2026, 2, 30)).toBeNull();
    expect(toIsoDate(2026, 2, 29)).toBeNull();
    expect(toIsoDate(2026, 13, 1)).toBeNull();
    expect(toIsoDate(2026, 4, 1.5)).toBeNull();
    expect(toIsoDate(Number.NaN, 4, 1)).toBeNull();
    expect(toIsoDate(10000, 1, 1)).toBeNull();
    expect(toIsoMonth(2026, 0)).toBeNull();
  });

  it('accepts 29 February only in leap years', () => {
    expect(toIsoDate(2024, 2, 29)).toBe('2024-02-29');
    expect(toIsoDate(2000, 2, 29)).toBe('2000-02-29');
    expect(toIsoDate(2100, 2, 29)).toBeNull();
  });
});

describe('isValidIsoMonth', () => {
  it('validates YYYY-MM', () => {
    expect(isValidIsoMonth('2026-04')).toBe(true);
    expect(isValidIsoMonth('2026-4')).toBe(false);
    expect(isValidIsoMonth('2026-13')).toBe(false);
    expect(isValidIsoMonth('2026-04-01')).toBe(false);
  });
});

describe('epoch days', () => {
  it('counts from 1970-01-01', () => {
    expect(isoDateToEpochDay('1970-01-01')).toBe(0);
    expect(isoDateToEpochDay('1969-12-31')).toBe(-1);
    expect(isoDateToEpochDay('2000-03-01')).toBe(11017);
    expect(epochDayToIsoDate(11017)).toBe('2000-03-01');
  });

  it('round-trips every day across several leap cycles', () => {
    let day = isoDateToEpochDay('1895-01-01');
    const last = isoDateToEpochDay('2105-12-31');
    let prev = epochDayToIsoDate(day - 1);
    const bad: string[] = [];
    for (; day <= last; day++) {
      const iso = epochDayToIsoDate(day);
      // Each day must be a valid date, strictly after the previous one, and map back to its number.
      if (!isValidIsoDate(iso) || iso <= prev || isoDateToEpochDay(iso) !== day) bad.push(iso);
      prev = iso;
    }
    expect(bad).toEqual([]);
    // 211 Gregorian years from 1895 contain 51 leap years (1900 and 2100 excluded, 2000 included).
    expect(last - isoDateToEpochDay('1895-01-01') + 1).toBe(211 * 365 + 51);
  });

  it('rejects dates outside 0001–9999', () => {
    expect(() => epochDayToIsoDate(isoDateToEpochDay('9999-12-31') + 1)).toThrow(RangeError);
    expect(() => epochDayToIsoDate(isoDateToEpochDay('0001-01-01') - 1)).toThrow(RangeError);
  });
});

describe('isoDateParts', () => {
  it('splits valid dates and throws on invalid ones', () => {
    expect(isoDateParts('2026-04-01')).toEqual({ year: 2026, month: 4, day: 1 });
    expect(() => isoDateParts('2026-02-30')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
    expect(addDays('2026-04-01', -1)).toBe('2026-03-31');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-04-01', 365)).toBe('2027-04-01');
    expect(addDays('2026-04-01', 0)).toBe('2026-04-01');
  });

  it('rejects fractional days and invalid dates', () => {
    expect(() => addDays('2026-04-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('addMonths', () => {
  it('clamps to the end of the target month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('crosses years in both directions', () => {
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-04-01', 12)).toBe('2027-04-01');
    expect(addMonths('2026-04-01', -24)).toBe('2024-04-01');
  });

  it('rejects fractional months', () => {
    expect(() => addMonths('2026-04-01', 1.5)).toThrow(RangeError);
  });
});

describe('addMonthsToMonth', () => {
  it('shifts YYYY-MM months', () => {
    expect(addMonthsToMonth('2026-12', 1)).toBe('2027-01');
    expect(addMonthsToMonth('2026-01', -1)).toBe('2025-12');
    expect(addMonthsToMonth('2026-04', 0)).toBe('2026-04');
  });
});

describe('daysBetween / monthsBetween', () => {
  it('is b − a in whole days', () => {
    expect(daysBetween('2026-04-01', '2026-04-02')).toBe(1);
    expect(daysBetween('2026-04-02', '2026-04-01')).toBe(-1);
    expect(daysBetween('2026-04-01', '2027-03-31')).toBe(364);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2026-04-01', '2026-04-01')).toBe(0);
  });

  it('uses days / 30.4375 for months', () => {
    expect(monthsBetween('2026-01-01', '2026-02-01')).toBeCloseTo(31 / 30.4375, 10);
    expect(monthsBetween('2026-04-01', '2027-04-01')).toBeCloseTo(365 / 30.4375, 10);
    expect(monthsBetween('2027-04-01', '2026-04-01')).toBeLessThan(0);
    // Four years are exactly 48 average months.
    expect(monthsBetween('2024-01-01', '2028-01-01')).toBeCloseTo(48, 10);
  });
});

describe('months', () => {
  it('monthOf / startOfMonth / endOfMonth', () => {
    expect(monthOf('2026-04-30')).toBe('2026-04');
    expect(startOfMonth('2026-04')).toBe('2026-04-01');
    expect(endOfMonth('2026-04')).toBe('2026-04-30');
    expect(endOfMonth('2026-02')).toBe('2026-02-28');
    expect(endOfMonth('2024-02')).toBe('2024-02-29');
    expect(endOfMonth('2026-12')).toBe('2026-12-31');
    expect(() => endOfMonth('2026-13')).toThrow(RangeError);
    expect(() => monthOf('2026-02-30')).toThrow(RangeError);
  });
});

describe('excelSerialToIsoDate', () => {
  it.each([
    [1, '1900-01-01'],
    [31, '1900-01-31'],
    [59, '1900-02-28'],
    [61, '1900-03-01'], // the fake 1900-02-29 (serial 60) shifts every later serial by one
    [25569, '1970-01-01'],
    [36526, '2000-01-01'],
    [43586, '2019-05-01'],
    [45383, '2024-04-01'],
    [46113, '2026-04-01'],
    [2958465, '9999-12-31'],
  ])('%d → %s', (serial, iso) => {
    expect(excelSerialToIsoDate(serial)).toBe(iso);
  });

  it('drops the time-of-day fraction', () => {
    expect(excelSerialToIsoDate(45383.999)).toBe('2024-04-01');
    expect(excelSerialToIsoDate(45383.25)).toBe('2024-04-01');
  });

  it('rejects serial 60 (Excel’s non-existent 1900-02-29) and out-of-range values', () => {
    expect(() => excelSerialToIsoDate(60)).toThrow(RangeError);
    expect(() => excelSerialToIsoDate(60.5)).toThrow(RangeError);
    expect(() => excelSerialToIsoDate(0)).toThrow(RangeError);
    expect(() => excelSerialToIsoDate(-5)).toThrow(RangeError);
    expect(() => excelSerialToIsoDate(Number.NaN)).toThrow(RangeError);
    expect(() => excelSerialToIsoDate(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => excelSerialToIsoDate(2958466)).toThrow(RangeError);
  });
});

describe('compare / min / max', () => {
  it('compares dates', () => {
    expect(compareIsoDate('2026-03-31', '2026-04-01')).toBe(-1);
    expect(compareIsoDate('2026-04-01', '2026-03-31')).toBe(1);
    expect(compareIsoDate('2026-04-01', '2026-04-01')).toBe(0);
    expect(['2027-01-01', '2026-04-01', '2026-12-31'].sort(compareIsoDate)).toEqual([
      '2026-04-01',
      '2026-12-31',
      '2027-01-01',
    ]);
    expect(() => compareIsoDate('2026-4-1', '2026-04-01')).toThrow(RangeError);
  });

  it('finds min and max', () => {
    expect(minIsoDate('2026-04-01', '2025-04-01', '2027-04-01')).toBe('2025-04-01');
    expect(maxIsoDate('2026-04-01', '2025-04-01', '2027-04-01')).toBe('2027-04-01');
    expect(minIsoDate('2026-04-01')).toBe('2026-04-01');
    const none: string[] = [];
    expect(minIsoDate(...none)).toBeUndefined();
    expect(maxIsoDate(...none)).toBeUndefined();
    expect(() => maxIsoDate('2026-04-01', 'garbage')).toThrow(RangeError);
  });
});

describe('module hygiene', () => {
  // The module must be deterministic: dates come from callers, never from the wall clock.
  it('never reads the wall clock', () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const file of sources) {
      const text = readFileSync(join(__dirname, file), 'utf8');
      expect({ file, clock: /Date\.now\s*\(|new\s+Date\s*\(\s*\)/.test(text) }).toEqual({ file, clock: false });
    }
  });
});
