import { formatDueDate, parseDateOrTermEnd, parseDeadlineTerm } from './date-terms';

describe('parseDateOrTermEnd (a plain date field)', () => {
  it.each([
    ['2026-11-24', '2026-11-24'],
    ['令和8年11月24日', '2026-11-24'],
    ['R8.11.24', '2026-11-24'],
    ['令和8年度末', '2027-03-31'],
    ['令和８年度末', '2027-03-31'],
    ['2026年度末', '2027-03-31'],
    ['令和8年度第2四半期', '2026-09-30'],
    ['令和8年度第四四半期', '2027-03-31'],
    ['令和8年度', '2027-03-31'],
    ['令和元年度第1四半期', '2019-06-30'],
  ])('%s → %s', (input, expected) => {
    expect(parseDateOrTermEnd(input)).toBe(expected);
  });

  it.each(['令和8年4月', '2026-04', 'R8.4', '令和8年度第5四半期', '平成32年度末', '', 'あした'])('refuses %s', (input) => {
    expect(parseDateOrTermEnd(input)).toBeNull();
  });
});

describe('parseDeadlineTerm (a deadline: the last day of the period named)', () => {
  it.each([
    ['令和8年4月', '2026-04-30'],
    ['令和8年2月', '2026-02-28'],
    ['令和8年4月まで', '2026-04-30'],
    ['令和8年度第2四半期', '2026-09-30'],
    ['令和8年度第2四半期まで', '2026-09-30'],
    ['令和8年度末', '2027-03-31'],
    ['令和7年度中', '2026-03-31'],
    ['令和8年度', '2027-03-31'],
    ['2026/9', '2026-09-30'],
    ['令和7年9月30日', '2025-09-30'],
    ['2028-03-31', '2028-03-31'],
  ])('%s → %s', (input, expected) => {
    expect(parseDeadlineTerm(input)).toBe(expected);
  });

  it.each(['（期限の記載なし）', '令和7年12月議会', 'まで', '令和元年4月', ''])('refuses %s', (input) => {
    expect(parseDeadlineTerm(input)).toBeNull();
  });
});

describe('formatDueDate', () => {
  it.each([
    ['2027-03-31', '令和8年度末'],
    ['2026-04-30', '令和8年4月末'],
    ['2026-09-30', '令和8年9月末'],
    ['2026-04-15', '令和8年4月15日'],
  ])('%s → %s, and back', (date, label) => {
    expect(formatDueDate(date)).toBe(label);
    expect(parseDeadlineTerm(label)).toBe(date);
  });
});
