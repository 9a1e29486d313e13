import { daysBetween } from '../calendar';
import { wallClockMs } from '../common/clock';
import { Verdict } from '../progress/progress-math';

// Small pure pieces of the exports: file names, date-time cells, verdict colours. (A date cell and
// the number formats are in sheets/, the download header in common/download-header.ts.)

/** Fill colours (ARGB) of the verdict cell in 概要: green when met, through amber, to red. */
export const VERDICT_FILLS: Readonly<Record<Verdict, string>> = {
  met: 'FFC6EFCE',
  on_track: 'FFDDEBF7',
  at_risk: 'FFFFEB9C',
  behind: 'FFF8CBAD',
  missed: 'FFFFC7CE',
  no_items: 'FFE7E6E6',
};

/**
 * An instant (ISO, UTC) as the wall-clock time in `timeZone`, as an xlsx date-time cell value:
 * spreadsheets have no time zones, so the cell carries the city's local time.
 */
export function wallClockCellValue(instant: string, timeZone: string): Date {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: ${instant}`);
  return new Date(wallClockMs(date.getTime(), timeZone));
}

/** Whole days from `since` (the due date or deadline) to `asOf`: 1 the day after it. */
export function daysLate(since: string, asOf: string): number {
  return Math.max(0, daysBetween(since, asOf));
}

/** A department name as part of a file name: characters Windows refuses become '_'. */
export function fileNamePart(value: string): string {
  return value.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim();
}

export interface ExportFileName {
  /** The name shown to users (Japanese). */
  fileName: string;
  /** ASCII only, for the Content-Disposition fallback. */
  asciiName: string;
}

export function itemsFileName(programLabel: string, programKey: string, date: string, extension: 'csv' | 'xlsx', department?: string): ExportFileName {
  const middle = department ? `_${fileNamePart(department)}` : '';
  return { fileName: `${programLabel}${middle}_${date}.${extension}`, asciiName: `${programKey}-items-${date}.${extension}` };
}

export function complianceFileName(date: string, department?: string): ExportFileName {
  const middle = department ? `_${fileNamePart(department)}` : '';
  return { fileName: `取組状況報告${middle}_${date}.xlsx`, asciiName: `compliance-${date}.xlsx` };
}
