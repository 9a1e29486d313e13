import { getProgram, programFields } from '../programs/program-definitions';
import { FieldDefinition, ProgramKey } from '../programs/program.types';

// A program's item sheet, the import layout (programFields: the same headers in the same order),
// as values: states and choices as their Japanese labels, dates as dates, integers as numbers,
// free text as stored. Exports and the division sheets write these values; the writers in
// reports/ decide how a date or a number becomes a cell.

/** A cell of an item sheet before it is written: a date stays a date until the format decides. */
export type ExportValue = string | number | { date: string } | null;

/** A stored item as the exports read it: field key → stored value; `division` is the name to write, `status` a state key. */
export type ExportItem = Record<string, string | number | null>;

type StoredValue = string | number | null | undefined;

/** How one field's stored value becomes its cell: labels looked up in a map made once per program. */
function fieldConverter(program: ProgramKey, field: FieldDefinition): (value: string | number) => ExportValue {
  switch (field.kind) {
    case 'status': {
      const labels = new Map(getProgram(program).states.map((state) => [state.key, state.label]));
      return (value) => labels.get(String(value)) ?? String(value);
    }
    case 'choice': {
      const labels = new Map((field.choices ?? []).map((choice) => [choice.key, choice.label]));
      return (value) => labels.get(String(value)) ?? String(value);
    }
    case 'date':
      return (value) => ({ date: String(value) });
    case 'integer':
      return (value) => (typeof value === 'number' ? value : Number(value));
    default:
      // code, division and free text: exactly as stored
      return (value) => String(value);
  }
}

interface SheetField {
  key: string;
  convert: (value: string | number) => ExportValue;
}

// An export converts every row of a program the same way: the fields and their converters are
// built once per program, not per row.
const SHEET_FIELDS = new Map<ProgramKey, SheetField[]>();

function sheetFields(program: ProgramKey): SheetField[] {
  let fields = SHEET_FIELDS.get(program);
  if (!fields) {
    fields = programFields(program).map((field) => ({ key: field.key, convert: fieldConverter(program, field) }));
    SHEET_FIELDS.set(program, fields);
  }
  return fields;
}

function exportValue(field: SheetField, value: StoredValue): ExportValue {
  return value === null || value === undefined || value === '' ? null : field.convert(value);
}

/** The row of an item, in the columns of its program's sheet. */
export function itemSheetValues(program: ProgramKey, item: ExportItem): ExportValue[] {
  const fields = sheetFields(program);
  const values = new Array<ExportValue>(fields.length);
  for (let index = 0; index < fields.length; index++) values[index] = exportValue(fields[index], item[fields[index].key]);
  return values;
}

/** The headers of a program's sheet, in order. */
export function itemSheetHeaders(program: ProgramKey): string[] {
  return programFields(program).map((field) => field.header);
}
