import { complianceFileName, daysLate, fileNamePart, itemsFileName, wallClockCellValue } from './report-format';

describe('wallClockCellValue', () => {
  it("should carry the city's local time: 01:00 UTC is 10:00 in Tokyo", () => {
    expect(wallClockCellValue('2026-11-24T01:00:00.000Z', 'Asia/Tokyo').toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it('should move to the next local day when UTC is still on the previous one', () => {
    expect(wallClockCellValue('2026-03-31T15:30:00.000Z', 'Asia/Tokyo').toISOString()).toBe('2026-04-01T00:30:00.000Z');
  });
});

describe('daysLate', () => {
  it('should count whole days from the deadline to the as-of date', () => {
    expect(daysLate('2026-09-30', '2026-11-24')).toBe(55);
    expect(daysLate('2026-11-23', '2026-11-24')).toBe(1);
    expect(daysLate('2026-11-24', '2026-11-24')).toBe(0);
  });
});

describe('file names', () => {
  it('should name a program export after the program, the department and the date', () => {
    expect(itemsFileName('押印廃止', 'seal', '2026-11-24', 'xlsx')).toEqual({ fileName: '押印廃止_2026-11-24.xlsx', asciiName: 'seal-items-2026-11-24.xlsx' });
    expect(itemsFileName('押印廃止', 'seal', '2026-11-24', 'csv', '福祉こども部').fileName).toBe('押印廃止_福祉こども部_2026-11-24.csv');
  });

  it('should name the workbook', () => {
    expect(complianceFileName('2026-11-24')).toEqual({ fileName: '取組状況報告_2026-11-24.xlsx', asciiName: 'compliance-2026-11-24.xlsx' });
  });

  it('should replace the characters a file name may not hold', () => {
    expect(fileNamePart('A/B:C*D?')).toBe('A_B_C_D_');
  });
});
