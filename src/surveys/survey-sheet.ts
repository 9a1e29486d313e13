import * as ExcelJS from 'exceljs';
import { formatWarekiDate } from '../calendar';
import { buildDivisionSheet } from '../imports/division-sheet';
import { getProgram } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';

// A division's sheet for a 照会 round: the division's own sheet (the import template with its
// drop-down lists and items) under a title row naming the round and its due date in 和暦.
// Saved unchanged and imported with ?survey=<id>, every row is "unchanged": a valid answer.

export type SheetValue = string | number | null;

export interface SurveySheetInput {
  program: ProgramKey;
  title: string;
  dueOn: string;
  divisionName: string;
  /** Every division's name, for the 所管課 drop-down. */
  divisionNames: readonly string[];
  /** The division's items by field key (dates as YYYY-MM-DD). */
  items: readonly Record<string, SheetValue>[];
}

export function surveyTitleLine(input: Pick<SurveySheetInput, 'program' | 'title' | 'dueOn' | 'divisionName'>): string {
  return `【照会】${input.title}（${getProgram(input.program).label}・${input.divisionName}）　回答期限：${formatWarekiDate(input.dueOn)}`;
}

/** The division's sheet (imports/division-sheet.ts, the one 課のシート downloads) under the round's title line. */
export function buildSurveySheet(input: SurveySheetInput): ExcelJS.Workbook {
  return buildDivisionSheet(input.program, input.divisionNames, input.items, { titleLines: [surveyTitleLine(input)] });
}
