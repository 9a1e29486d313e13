import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

// Program fields move from one column each into one JSON column, items.fields, so a program
// added as a document needs no migration. Existing values move over (empty ones are left out);
// the old columns and their indexes go; the progress index and the 国の区分 filter index are
// rebuilt on the JSON expression (see src/database/json-fields.ts, which must match).
const OLD_COLUMNS: readonly [string, string][] = [
  ['nationalGroup', 'national_group'],
  ['category', 'category'],
  ['annualVolume', 'annual_volume'],
  ['channel', 'channel'],
  ['basisLevel', 'basis_level'],
  ['legalBasis', 'legal_basis'],
  ['sealKind', 'seal_kind'],
  ['replacement', 'replacement'],
  ['article', 'article'],
  ['analogType', 'analog_type'],
];

export class ItemFieldsJson1765110000000 implements MigrationInterface {
  name = 'ItemFieldsJson1765110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sqlite = queryRunner.connection.options.type !== 'postgres';
    await queryRunner.query('DROP INDEX ix_items_progress');
    await queryRunner.query('DROP INDEX ix_items_program_group');
    if (sqlite) {
      await queryRunner.query(`ALTER TABLE items ADD COLUMN fields TEXT NOT NULL DEFAULT '{}'`);
      // json_patch drops members whose value is null (RFC 7396), so empty fields are not stored
      const pairs = OLD_COLUMNS.map(([key, column]) => `'${key}', ${column}`).join(', ');
      await queryRunner.query(`UPDATE items SET fields = json_patch('{}', json_object(${pairs}))`);
      for (const [, column] of OLD_COLUMNS) await queryRunner.query(`ALTER TABLE items DROP COLUMN ${column}`);
      await queryRunner.query(
        `CREATE INDEX ix_items_progress ON items (program, json_extract(fields, '$.nationalGroup'), division_id, status, status_effective_on, due_on)`,
      );
    } else {
      await queryRunner.query(`ALTER TABLE items ADD COLUMN fields jsonb NOT NULL DEFAULT '{}'::jsonb`);
      const pairs = OLD_COLUMNS.map(([key, column]) => `'${key}', ${column}`).join(', ');
      await queryRunner.query(`UPDATE items SET fields = jsonb_strip_nulls(jsonb_build_object(${pairs}))`);
      for (const [, column] of OLD_COLUMNS) await queryRunner.query(`ALTER TABLE items DROP COLUMN ${column}`);
      await queryRunner.query(
        `CREATE INDEX ix_items_progress ON items (program, (fields ->> 'nationalGroup'), division_id, status, status_effective_on, due_on)`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sqlite = queryRunner.connection.options.type !== 'postgres';
    await queryRunner.query('DROP INDEX ix_items_progress');
    const types: Record<string, string> = { annual_volume: 'integer', national_group: 'varchar(16)', category: 'varchar(100)', channel: 'varchar(200)', basis_level: 'varchar(32)', legal_basis: 'varchar(500)', seal_kind: 'varchar(32)', replacement: 'varchar(32)', article: 'varchar(200)', analog_type: 'varchar(32)' };
    for (const [key, column] of OLD_COLUMNS) {
      await queryRunner.query(`ALTER TABLE items ADD COLUMN ${column} ${types[column]}`);
      const value = sqlite ? `json_extract(fields, '$.${key}')` : column === 'annual_volume' ? `(fields ->> '${key}')::integer` : `(fields ->> '${key}')`;
      await queryRunner.query(`UPDATE items SET ${column} = ${value}`);
    }
    await queryRunner.query('ALTER TABLE items DROP COLUMN fields');
    await queryRunner.createIndex('items', new TableIndex({ name: 'ix_items_program_group', columnNames: ['program', 'national_group'] }));
    await queryRunner.createIndex(
      'items',
      new TableIndex({ name: 'ix_items_progress', columnNames: ['program', 'national_group', 'division_id', 'status', 'status_effective_on', 'due_on'] }),
    );
  }
}
