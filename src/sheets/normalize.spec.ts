import { normalizeCode, normalizeFreeText, normalizeMatchValue, parseDateCell, parseIntegerCell } from './normalize';

describe('normalizeMatchValue', () => {
  it('applies NFKC and folds every kind of whitespace to one space', () => {
    expect(normalizeMatchValue('　ＡＢＣ－１２３　')).toBe('ABC-123');
    expect(normalizeMatchValue('市民\u3000\u3000課\t\n窓口')).toBe('市民 課 窓口');
    expect(normalizeMatchValue('ｼﾐﾝｶ')).toBe('シミンカ');
    expect(normalizeMatchValue('①')).toBe('1');
  });

  it('formats numbers the way a sheet shows them', () => {
    expect(normalizeMatchValue(12)).toBe('12');
    expect(normalizeMatchValue(12.0)).toBe('12');
    expect(normalizeMatchValue(0.1 + 0.2)).toBe('0.3');
    expect(normalizeMatchValue(1e21)).toBe('1000000000000000000000');
  });

  it('handles empty, boolean and date cells', () => {
    expect(normalizeMatchValue(null)).toBe('');
    expect(normalizeMatchValue(undefined)).toBe('');
    expect(normalizeMatchValue(true)).toBe('TRUE');
    expect(normalizeMatchValue(new Date(Date.UTC(2026, 3, 1)))).toBe('2026-04-01');
  });
});

describe('normalizeFreeText', () => {
  it('only trims: ①, ㈱ and 全角 punctuation survive', () => {
    expect(normalizeFreeText('　①㈱（株）、「Ａ」！  ')).toBe('①㈱（株）、「Ａ」！');
    expect(normalizeFreeText('一行目\n二行目')).toBe('一行目\n二行目');
    expect(normalizeFreeText(null)).toBe('');
    expect(normalizeFreeText(3)).toBe('3');
  });
});

describe('parseIntegerCell', () => {
  it.each([
    [1234, 1234],
    ['1234', 1234],
    ['1,234', 1234],
    ['１，２３４', 1234],
    ['１２３４', 1234],
    [' 12 ', 12],
    ['-5', -5],
    ['－５', -5],
    ['\u22125', -5],
    ['1,234,567', 1234567],
    ['0', 0],
    [1.1 * 1000, 1100], // 1100.0000000000002, as a formula result
  ])('%p → %p', (input, expected) => {
    expect(parseIntegerCell(input)).toEqual({ value: expected });
  });

  it.each([[12.5], ['12.5'], ['1,23'], ['12,3456'], ['abc'], ['1件'], [true], [new Date()], ['1e3'], [2 ** 60]])(
    '%p is invalid',
    (input) => {
      expect(parseIntegerCell(input)).toEqual({ error: 'invalid_number' });
    },
  );

  it('reads empty as null', () => {
    expect(parseIntegerCell(null)).toEqual({ value: null });
    expect(parseIntegerCell('　')).toEqual({ value: null });
  });
});

describe('parseDateCell', () => {
  it('uses the UTC parts of a date cell', () => {
    expect(parseDateCell(new Date(Date.UTC(2026, 3, 1)))).toEqual({ value: '2026-04-01' });
    expect(parseDateCell(new Date(Date.UTC(2026, 2, 31, 23, 30)))).toEqual({ value: '2026-03-31' });
    expect(parseDateCell(new Date(Number.NaN))).toEqual({ error: 'invalid_date' });
  });

  it('reads numbers as Excel serials, and 8-digit numbers as yyyymmdd', () => {
    expect(parseDateCell(46113)).toEqual({ value: '2026-04-01' });
    expect(parseDateCell(46113.75)).toEqual({ value: '2026-04-01' });
    expect(parseDateCell(20260401)).toEqual({ value: '2026-04-01' });
    expect(parseDateCell(20261301)).toEqual({ error: 'invalid_date' });
    expect(parseDateCell(0)).toEqual({ error: 'invalid_date' });
    expect(parseDateCell(-3)).toEqual({ error: 'invalid_date' });
    expect(parseDateCell(60)).toEqual({ error: 'invalid_date' });
  });

  it.each(['2026/4/1', '2026-04-01', '令和8年4月1日', 'R8.4.1', 'R8/4/1', '２０２６／４／１', ' 令和８年　４月　１日 '])(
    'reads %p',
    (input) => {
      expect(parseDateCell(input)).toEqual({ value: '2026-04-01' });
    },
  );

  it('rejects text that is not a date and reads blanks as null', () => {
    expect(parseDateCell('来年度')).toEqual({ error: 'invalid_date' });
    expect(parseDateCell('2026/2/30')).toEqual({ error: 'invalid_date' });
    expect(parseDateCell(true)).toEqual({ error: 'invalid_date' });
    expect(parseDateCell('')).toEqual({ value: null });
    expect(parseDateCell('　')).toEqual({ value: null });
    expect(parseDateCell(null)).toEqual({ value: null });
  });
});

describe('parseDateCell: the supported window', () => {
  it('should refuse real dates outside 1989-01-08 … 2099-12-31 as date_out_of_range', () => {
    expect(parseDateCell('1867-12-31')).toEqual({ error: 'date_out_of_range', date: '1867-12-31' });
    expect(parseDateCell('2100-01-01')).toEqual({ error: 'date_out_of_range', date: '2100-01-01' });
    expect(parseDateCell(2)).toEqual({ error: 'date_out_of_range', date: '1900-01-02' });
    expect(parseDateCell(new Date(Date.UTC(9999, 11, 31)))).toEqual({ error: 'date_out_of_range', date: '9999-12-31' });
    expect(parseDateCell('1989-01-08')).toEqual({ value: '1989-01-08' });
    expect(parseDateCell('R81.12.31')).toEqual({ value: '2099-12-31' });
  });
});

describe('normalizeCode', () => {
  it('should fold dashes and ASCII case into one code, like 全角/半角', () => {
    for (const code of ['MN-01', 'mn-01', 'MN\u201001', 'MN\u221201', 'Mn\u201301', 'ＭＮ－０１', ' mn\u2014０1 ', 'MN\uFE5801']) expect(normalizeCode(code)).toBe('MN-01');
    expect(normalizeCode('市-ａ1')).toBe('市-A1');
    expect(normalizeCode(null)).toBe('');
  });
});
