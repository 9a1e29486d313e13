import { MigrationInterface, QueryRunner } from 'typeorm';

// PostgreSQL only: 国の区分 as a stored generated column, items.national_group (always equal to
// fields ->> 'nationalGroup', kept by the database itself), and the progress index rebuilt on it.
// PostgreSQL cannot answer an expression from an expression index alone, so grouping by the JSON
// expression read every row's jsonb; on the column the grouping is an index-only scan.
// SQLite keeps its expression index: there the indexed expression is read off the index already,
// an index on a VIRTUAL generated column is not used as covering (measured three times slower),
// and a STORED one cannot be added by ALTER TABLE. src/database/json-fields.ts reads the column.
export class NationalGroupColumn1765950000000 implements MigrationInterface {
  name = 'NationalGroupColumn1765950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`ALTER TABLE items ADD COLUMN national_group text GENERATED ALWAYS AS (fields ->> 'nationalGroup') STORED`);
    await queryRunner.query('DROP INDEX ix_items_progress');
    await queryRunner.query('CREATE INDEX ix_items_progress ON items (program, national_group, division_id, status, status_effective_on, due_on)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP INDEX ix_items_progress');
    await queryRunner.query(`CREATE INDEX ix_items_progress ON items (program, (fields ->> 'nationalGroup'), division_id, status, status_effective_on, due_on)`);
    await queryRunner.query('ALTER TABLE items DROP COLUMN national_group');
  }
}
