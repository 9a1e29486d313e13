import * as ExcelJS from 'exceljs';
import { programFields } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { dateCellValue } from '../sheets/xlsx-cells';
import { ExportItem, itemSheetValues } from '../items/item-sheet';
import { buildImportTemplate, DATE_FORMAT, TemplateOptions, templateLayout } from './import-template';

// A division's own sheet (the one the reform office sends round): the import template, with its
// drop-down lists, prefilled with the division's items in the import layout. Saved unchanged and
// uploaded again, every row is "unchanged".

export function buildDivisionSheet(program: ProgramKey, divisionNames: readonly string[], items: readonly ExportItem[], options: TemplateOptions = {}): ExcelJS.Workbook {
  // a 照会 round's sheet has its title lines above the template (options.titleLines)
  const workbook = buildImportTemplate(program, divisionNames, options);
  const { firstDataRow } = templateLayout(options.titleLines?.length ?? 0);
  const sheet = workbook.worksheets[0];
  const fields = programFields(program);
  items.forEach((item, index) => {
    const row = sheet.getRow(firstDataRow + index);
    itemSheetValues(program, item).forEach((value, column) => {
      const cell = row.getCell(column + 1);
      const kind = fields[column].kind;
      if (value === null) return;
      if (typeof value === 'object') {
        cell.value = dateCellValue(value.date);
        cell.numFmt = DATE_FORMAT;
      } else {
        // exceljs writes a string as a string cell (never a formula); codes keep leading zeros
        cell.value = value;
        if (kind === 'code') cell.numFmt = '@';
      }
    });
  });
  return workbook;
}
