import { dateCellValue } from './xlsx-cells';

describe('dateCellValue', () => {
  it('should be midnight UTC of the date, as exceljs reads date cells back', () => {
    expect(dateCellValue('2026-04-01').toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('should refuse what is not a date', () => {
    expect(() => dateCellValue('2026-02-30')).toThrow(RangeError);
  });
});
