// CSV as the exports write it (CONTRACT.md "Exports"): UTF-8 with a BOM (so Excel reads the
// Japanese), CRLF line ends, RFC 4180 quoting. Two steps, kept apart so each is testable:
// first a text cell is neutralized (a spreadsheet must not run it as a formula), then quoted.

export const CSV_BOM = '\uFEFF';
export const CSV_EOL = '\r\n';

/** What a spreadsheet reads as the start of a formula (or DDE), per OWASP "CSV Injection". */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain signed number (-1, +81, -0.5): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

/** The character a neutralized cell starts with; spreadsheets hide it and show the rest as text. */
export const NEUTRALIZING_PREFIX = "'";

function needsNeutralizing(text: string): boolean {
  // Leading quotes are looked through, so that text which already starts with ' and a formula
  // character gets one more: the importer drops exactly one and the user's own ' survives.
  const body = text.replace(/^'+/, '');
  return FORMULA_START.test(body) && !PLAIN_NUMBER.test(body);
}

/**
 * Text a user typed that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a
 * spreadsheet shows it as text instead of running it. A plain signed number is left alone: it
 * is not a formula, and a code like `-1` must stay `-1`.
 */
export function neutralizeFormula(text: string): string {
  return needsNeutralizing(text) ? NEUTRALIZING_PREFIX + text : text;
}

/**
 * The inverse, for an importer reading a CSV the exporter wrote: drops the one `'` that
 * `neutralizeFormula` added and leaves every other text as it is, so
 * `restoreNeutralized(neutralizeFormula(t)) === t` for every t.
 */
export function restoreNeutralized(text: string): string {
  if (!text.startsWith(NEUTRALIZING_PREFIX)) return text;
  const rest = text.slice(NEUTRALIZING_PREFIX.length);
  return needsNeutralizing(rest) ? rest : text;
}

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, its quotes doubled. */
export function quoteCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type CsvCell = string | number | null | undefined;

/**
 * One record, CRLF-terminated. Strings are user text (neutralized, then quoted); numbers are
 * written as numbers and never neutralized; null and undefined are empty fields.
 */
export function csvRecord(cells: readonly CsvCell[]): string {
  return (
    cells
      .map((cell) => {
        if (cell === null || cell === undefined) return '';
        if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
        return quoteCsvField(neutralizeFormula(cell));
      })
      .join(',') + CSV_EOL
  );
}
