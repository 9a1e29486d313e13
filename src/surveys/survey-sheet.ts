import * as ExcelJS from 'exceljs';
import { formatWarekiDate } from '../calendar';
import { buildImportTemplate, DATE_FORMAT, templateLayout } from '../imports/import-template';
import { getProgram, programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';

// A division's sheet for a 照会 round: the import template (drop-down lists, the import layout)
// under a title row naming the round and its due date in 和暦, prefilled with the division's items.
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

export function buildSurveySheet(input: SurveySheetInput): ExcelJS.Workbook {
  const titleLines = [surveyTitleLine(input)];
  const workbook = buildImportTemplate(input.program, input.divisionNames, { titleLines });
  const sheet = workbook.worksheets[0];
  const fields = programFields(input.program);
  const { firstDataRow } = templateLayout(titleLines.length);
  input.items.forEach((item, index) => {
    const row = sheet.getRow(firstDataRow + index);
    fields.forEach((field, column) => {
      const value = item[field.key] ?? null;
      if (value === null || value === '') return;
      const cell = row.getCell(column + 1);
      if (field.kind === 'date' && typeof value === 'string') {
        cell.value = new Date(`${value}T00:00:00.000Z`);
        cell.numFmt = DATE_FORMAT;
      } else {
        // a string stays a string cell (exceljs never turns it into a formula); codes keep their zeros
        cell.value = value;
        if (field.kind === 'code') cell.numFmt = '@';
      }
    });
  });
  return workbook;
}
