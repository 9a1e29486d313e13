// Where a program field's value is stored in the items table, as an SQL expression: the update
// rules ask it whether any item uses a field or a choice.

// The built-in programs' fields that still have a column of their own.
const COLUMNS: Readonly<Record<string, string>> = {
  nationalGroup: 'national_group',
  category: 'category',
  annualVolume: 'annual_volume',
  channel: 'channel',
  basisLevel: 'basis_level',
  legalBasis: 'legal_basis',
  sealKind: 'seal_kind',
  replacement: 'replacement',
  article: 'article',
  analogType: 'analog_type',
};

/** The SQL expression of a field's value, or null when items cannot hold it. */
export function fieldUsageSql(field: string, _sqlite: boolean): string | null {
  return COLUMNS[field] ?? null;
}
