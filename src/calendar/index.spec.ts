import * as calendar from './index';

describe('calendar index', () => {
  it('re-exports the public API', () => {
    const names = [
      'isValidIsoDate', 'toIsoDate', 'addDays', 'addMonths', 'daysBetween', 'monthOf', 'monthsBetween',
      'excelSerialToIsoDate', 'compareIsoDate', 'minIsoDate', 'maxIsoDate', 'endOfMonth',
      'fiscalYearOf', 'fiscalQuarterOf', 'fiscalYearStart', 'fiscalYearEnd',
      'eraOf', 'formatWarekiDate', 'formatWarekiMonth', 'formatFiscalYear', 'formatFiscalQuarter',
      'formatDeadline', 'parseJapaneseDate', 'parseJapaneseMonth', 'parseFiscalTerm', 'parseDeadline',
    ];
    const exported = calendar as unknown as Record<string, unknown>;
    expect(names.filter((n) => typeof exported[n] !== 'function')).toEqual([]);
  });
});
