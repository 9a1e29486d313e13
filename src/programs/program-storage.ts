import { fieldSql } from '../database/json-fields';

// Where a program field's value is stored in the items table, as an SQL expression: the update
// rules ask it whether any item uses a field or a choice.

/** The SQL expression of a field's value (NULL when the item has none). */
export function fieldUsageSql(field: string, sqlite: boolean): string {
  return fieldSql('', field, sqlite ? 'sqlite' : 'postgres');
}
