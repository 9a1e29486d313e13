import { isValidIsoDate } from '../calendar';

// Values as xlsx cells hold them, for every workbook the tracker writes (exports, division sheets).

/** An xlsx date cell value for a calendar date: midnight UTC, which is how exceljs reads dates back. */
export function dateCellValue(iso: string): Date {
  if (!isValidIsoDate(iso)) throw new RangeError(`not a date: ${iso}`);
  return new Date(`${iso}T00:00:00.000Z`);
}
