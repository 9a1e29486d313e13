import { addDays } from './iso-date';
import {
  eraOf,
  formatDeadline,
  formatFiscalQuarter,
  formatFiscalYear,
  formatWarekiDate,
  formatWarekiMonth,
  parseDeadline,
  parseFiscalTerm,
  parseJapaneseDate,
  parseJapaneseMonth,
  supportedEras,
} from './wareki';

describe('supportedEras (derived from Intl)', () => {
  it('finds 明治..令和 with their letters and first years', () => {
    expect(supportedEras().slice(0, 5)).toEqual([
      { name: '明治', letter: 'M', firstYear: 1868 },
      { name: '大正', letter: 'T', firstYear: 1912 },
      { name: '昭和', letter: 'S', firstYear: 1926 },
      { name: '平成', letter: 'H', firstYear: 1989 },
      { name: '令和', letter: 'R', firstYear: 2019 },
    ]);
  });

  it('returns copies that cannot corrupt the cache', () => {
    const eras = [...supportedEras()];
    eras[4].firstYear = 1;
    expect(parseJapaneseDate('令和8年4月1日')).toBe('2026-04-01');
  });
});

describe('eraOf', () => {
  it.each([
    ['2026-04-01', '令和', 'R', 8],
    ['2019-05-01', '令和', 'R', 1],
    ['2019-04-30', '平成', 'H', 31],
    ['1989-01-08', '平成', 'H', 1],
    ['1989-01-07', '昭和', 'S', 64],
    ['1926-12-25', '昭和', 'S', 1],
    ['1926-12-24', '大正', 'T', 15],
    ['1912-07-30', '大正', 'T', 1],
    ['1912-07-29', '明治', 'M', 45],
  ])('%s → %s%d', (date, era, eraLetter, eraYear) => {
    expect(eraOf(date)).toEqual({ era, eraLetter, eraYear });
  });

  it('rejects dates before 明治 and invalid dates', () => {
    expect(() => eraOf('1800-01-01')).toThrow(RangeError);
    expect(() => eraOf('2026-02-29')).toThrow(RangeError);
  });
});

describe('formatWarekiDate', () => {
  it('long form', () => {
    expect(formatWarekiDate('2026-04-01')).toBe('令和8年4月1日');
    expect(formatWarekiDate('2026-04-01', 'long')).toBe('令和8年4月1日');
    expect(formatWarekiDate('2025-09-30')).toBe('令和7年9月30日');
    expect(formatWarekiDate('2026-12-31')).toBe('令和8年12月31日');
  });

  it('uses 元年 for era year 1 in the long form', () => {
    expect(formatWarekiDate('2019-05-01')).toBe('令和元年5月1日');
    expect(formatWarekiDate('1989-01-08')).toBe('平成元年1月8日');
    expect(formatWarekiDate('2020-01-01')).toBe('令和2年1月1日');
  });

  it('era edges', () => {
    expect(formatWarekiDate('2019-04-30')).toBe('平成31年4月30日');
    expect(formatWarekiDate('1989-01-07')).toBe('昭和64年1月7日');
  });

  it('short form', () => {
    expect(formatWarekiDate('2026-04-01', 'short')).toBe('R8.4.1');
    expect(formatWarekiDate('2019-05-01', 'short')).toBe('R1.5.1');
    expect(formatWarekiDate('2019-04-30', 'short')).toBe('H31.4.30');
    expect(formatWarekiDate('1975-11-20', 'short')).toBe('S50.11.20');
  });
});

describe('formatWarekiMonth', () => {
  it('formats months', () => {
    expect(formatWarekiMonth('2026-04')).toBe('令和8年4月');
    expect(formatWarekiMonth('2019-04')).toBe('平成31年4月');
    expect(formatWarekiMonth('2019-05')).toBe('令和元年5月');
    // Split month: named by its first day.
    expect(formatWarekiMonth('1989-01')).toBe('昭和64年1月');
    expect(() => formatWarekiMonth('2026-4')).toThrow(RangeError);
  });
});

describe('formatFiscalYear', () => {
  it('names a fiscal year by the era of its first day', () => {
    expect(formatFiscalYear(2026)).toBe('令和8年度');
    expect(formatFiscalYear(2027)).toBe('令和9年度');
    expect(formatFiscalYear(2020)).toBe('令和2年度');
    // FY2019 began on 2019-04-01, still 平成.
    expect(formatFiscalYear(2019)).toBe('平成31年度');
    expect(formatFiscalYear(2018)).toBe('平成30年度');
    // FY1989 began on 1989-04-01, 平成元年.
    expect(formatFiscalYear(1989)).toBe('平成元年度');
    expect(formatFiscalYear(1988)).toBe('昭和63年度');
  });
});

describe('formatFiscalQuarter', () => {
  it.each([
    ['2026-04-01', '令和8年度第1四半期'],
    ['2026-08-15', '令和8年度第2四半期'],
    ['2026-12-31', '令和8年度第3四半期'],
    ['2027-03-31', '令和8年度第4四半期'],
    ['2027-04-01', '令和9年度第1四半期'],
    ['2019-06-01', '平成31年度第1四半期'],
  ])('%s → %s', (date, label) => {
    expect(formatFiscalQuarter(date)).toBe(label);
  });
});

describe('formatDeadline', () => {
  it('uses 年度末 on 31 March and the long date otherwise', () => {
    expect(formatDeadline('2028-03-31')).toBe('令和9年度末');
    expect(formatDeadline('2027-03-31')).toBe('令和8年度末');
    expect(formatDeadline('2025-09-30')).toBe('令和7年9月30日');
    expect(formatDeadline('2028-03-30')).toBe('令和10年3月30日');
    expect(formatDeadline('2028-04-01')).toBe('令和10年4月1日');
  });
});

describe('parseJapaneseDate', () => {
  it.each([
    ['2026-04-01', '2026-04-01'],
    ['2026/4/1', '2026-04-01'],
    ['2026/04/01', '2026-04-01'],
    ['2026.4.1', '2026-04-01'],
    ['2026年4月1日', '2026-04-01'],
    ['令和8年4月1日', '2026-04-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['令和1年5月1日', '2019-05-01'],
    ['R8.4.1', '2026-04-01'],
    ['R8/4/1', '2026-04-01'],
    ['R8-4-1', '2026-04-01'],
    ['r8.4.1', '2026-04-01'],
    ['R08.04.01', '2026-04-01'],
    ['R8年4月1日', '2026-04-01'],
    ['H31.4.30', '2019-04-30'],
    ['平成31年4月30日', '2019-04-30'],
    ['S64.1.7', '1989-01-07'],
    ['平成元年1月8日', '1989-01-08'],
    ['昭和元年12月25日', '1926-12-25'],
    ['大正15年12月24日', '1926-12-24'],
    ['大正元年7月30日', '1912-07-30'],
    ['明治45年7月29日', '1912-07-29'],
    ['M6.1.1', '1873-01-01'],
  ])('%s → %s', (input, iso) => {
    expect(parseJapaneseDate(input)).toBe(iso);
  });

  it('normalizes full-width characters, era ligatures and spaces', () => {
    expect(parseJapaneseDate('令和８年４月１日')).toBe('2026-04-01');
    expect(parseJapaneseDate('２０２６－０４－０１')).toBe('2026-04-01');
    expect(parseJapaneseDate('Ｒ８．４．１')).toBe('2026-04-01');
    expect(parseJapaneseDate('２０２６／４／１')).toBe('2026-04-01');
    expect(parseJapaneseDate('  令和8年4月1日 ')).toBe('2026-04-01');
    expect(parseJapaneseDate('令和８年　４月　１日')).toBe('2026-04-01');
    expect(parseJapaneseDate('㋿8年4月1日')).toBe('2026-04-01');
    expect(parseJapaneseDate('㍻31年4月30日')).toBe('2019-04-30');
    expect(parseJapaneseDate('2026−04−01')).toBe('2026-04-01');
  });

  it('enforces exact era edges', () => {
    expect(parseJapaneseDate('平成31年4月30日')).toBe('2019-04-30');
    expect(parseJapaneseDate('令和元年5月1日')).toBe('2019-05-01');
    expect(parseJapaneseDate('平成31年5月1日')).toBeNull();
    expect(parseJapaneseDate('H31.5.1')).toBeNull();
    expect(parseJapaneseDate('令和元年4月30日')).toBeNull();
    expect(parseJapaneseDate('R1.4.30')).toBeNull();
    expect(parseJapaneseDate('昭和64年1月8日')).toBeNull();
    expect(parseJapaneseDate('平成元年1月7日')).toBeNull();
    expect(parseJapaneseDate('大正15年12月25日')).toBeNull();
    expect(parseJapaneseDate('昭和元年12月24日')).toBeNull();
    expect(parseJapaneseDate('平成32年1月1日')).toBeNull();
    expect(parseJapaneseDate('明治元年1月1日')).toBeNull(); // still 慶応
  });

  it.each([
    '2026-02-29',
    '2026/2/30',
    '2026年2月29日',
    'R8.2.30',
    '令和8年2月29日',
    '令和8年13月1日',
    '令和8年0月1日',
    '令和0年5月1日',
    '令和8年4月',
    'R8.4/1', // mixed separators
    'X8.4.1', // unknown era letter
    '慶応3年1月1日', // unsupported era
    '天平8年4月1日',
    '2026-04-01T00:00:00Z',
    '26-04-01',
    '20260401',
    'garbage',
    '',
    '   ',
  ])('rejects %j', (input) => {
    expect(parseJapaneseDate(input)).toBeNull();
  });

  it('returns null for non-string input at runtime', () => {
    expect(parseJapaneseDate(undefined as unknown as string)).toBeNull();
    expect(parseJapaneseDate(45383 as unknown as string)).toBeNull();
  });

  it('round-trips every formatted day across the 平成/令和 change', () => {
    for (let d = '2019-03-01'; d <= '2019-06-30'; d = addDays(d, 1)) {
      expect(parseJapaneseDate(formatWarekiDate(d, 'long'))).toBe(d);
      expect(parseJapaneseDate(formatWarekiDate(d, 'short'))).toBe(d);
    }
  });
});

describe('parseJapaneseMonth', () => {
  it.each([
    ['2026-04', '2026-04'],
    ['2026/4', '2026-04'],
    ['2026.4', '2026-04'],
    ['2026年4月', '2026-04'],
    ['令和8年4月', '2026-04'],
    ['R8.4', '2026-04'],
    ['R8/4', '2026-04'],
    ['R8-4', '2026-04'],
    ['r8.12', '2026-12'],
    ['令和８年４月', '2026-04'],
    ['令和元年5月', '2019-05'],
    ['平成31年4月', '2019-04'],
    // 1989-01 was split: days 1–7 昭和64, 8–31 平成元.
    ['昭和64年1月', '1989-01'],
    ['平成元年1月', '1989-01'],
  ])('%s → %s', (input, month) => {
    expect(parseJapaneseMonth(input)).toBe(month);
  });

  it.each(['令和元年4月', '平成31年5月', '昭和64年2月', '2026-13', '令和8年13月', 'R8.0', '2026-04-01', 'R8', 'garbage'])(
    'rejects %j',
    (input) => {
      expect(parseJapaneseMonth(input)).toBeNull();
    },
  );

  it('round-trips formatWarekiMonth', () => {
    for (const m of ['2019-04', '2019-05', '1989-01', '2026-04', '2027-03']) {
      expect(parseJapaneseMonth(formatWarekiMonth(m))).toBe(m);
    }
  });
});

describe('parseFiscalTerm', () => {
  it('parses a fiscal year', () => {
    expect(parseFiscalTerm('令和8年度')).toEqual({
      kind: 'fiscalYear',
      fiscalYear: 2026,
      quarter: null,
      start: '2026-04-01',
      end: '2027-03-31',
    });
    expect(parseFiscalTerm('R8年度')?.start).toBe('2026-04-01');
    expect(parseFiscalTerm('2026年度')?.end).toBe('2027-03-31');
    expect(parseFiscalTerm('令和８年度')?.fiscalYear).toBe(2026);
  });

  it('parses 年度末 as the single day 31 March', () => {
    expect(parseFiscalTerm('令和9年度末')).toEqual({
      kind: 'fiscalYearEnd',
      fiscalYear: 2027,
      quarter: null,
      start: '2028-03-31',
      end: '2028-03-31',
    });
    expect(parseFiscalTerm('2027年度末')?.end).toBe('2028-03-31');
  });

  it('parses quarters (arabic or kanji numerals)', () => {
    expect(parseFiscalTerm('令和8年度第2四半期')).toEqual({
      kind: 'quarter',
      fiscalYear: 2026,
      quarter: 2,
      start: '2026-07-01',
      end: '2026-09-30',
    });
    expect(parseFiscalTerm('令和8年度第4四半期')).toMatchObject({ quarter: 4, start: '2027-01-01', end: '2027-03-31' });
    expect(parseFiscalTerm('令和8年度第一四半期')).toMatchObject({ quarter: 1, start: '2026-04-01', end: '2026-06-30' });
    expect(parseFiscalTerm('令和８年度第３四半期')).toMatchObject({ quarter: 3, start: '2026-10-01' });
  });

  it('accepts both names of FY2019 and rejects era years outside the fiscal year', () => {
    expect(parseFiscalTerm('平成31年度')?.fiscalYear).toBe(2019);
    expect(parseFiscalTerm('令和元年度')?.fiscalYear).toBe(2019);
    expect(parseFiscalTerm('平成元年度')?.fiscalYear).toBe(1989);
    expect(parseFiscalTerm('平成32年度')).toBeNull();
    expect(parseFiscalTerm('昭和64年度')).toBeNull();
  });

  it.each(['令和8年度第5四半期', '令和8年度第0四半期', '令和8年', '令和8年度中', '年度末', 'R8', 'garbage', ''])(
    'rejects %j',
    (input) => {
      expect(parseFiscalTerm(input)).toBeNull();
    },
  );

  it('round-trips formatFiscalYear and formatFiscalQuarter', () => {
    for (const fy of [1989, 2018, 2019, 2020, 2026]) {
      expect(parseFiscalTerm(formatFiscalYear(fy))?.fiscalYear).toBe(fy);
    }
    expect(parseFiscalTerm(formatFiscalQuarter('2026-08-15'))).toMatchObject({ fiscalYear: 2026, quarter: 2 });
  });
});

describe('parseDeadline', () => {
  it('accepts 年度末 and plain dates, the inverse of formatDeadline', () => {
    expect(parseDeadline('令和9年度末')).toBe('2028-03-31');
    expect(parseDeadline('令和7年9月30日')).toBe('2025-09-30');
    expect(parseDeadline('2026/4/1')).toBe('2026-04-01');
    for (const d of ['2028-03-31', '2025-09-30', '2020-03-31']) {
      expect(parseDeadline(formatDeadline(d))).toBe(d);
    }
  });

  it('rejects bare fiscal years and garbage', () => {
    expect(parseDeadline('令和8年度')).toBeNull();
    expect(parseDeadline('令和8年度第2四半期')).toBeNull();
    expect(parseDeadline('R8.2.30')).toBeNull();
  });
});
