import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

// 照会 rounds (survey_rounds), each division's answer (survey_divisions) with its history
// (survey_events), and completions awaiting an administrator's confirmation (item_reports: one
// row per reported item, gone once confirmed or returned). Schema builder only: SQLite and PostgreSQL.
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const text = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

export class SurveysAndConfirmations1765800000000 implements MigrationInterface {
  name = 'SurveysAndConfirmations1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'survey_rounds',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          text('title', 200, false),
          text('program', 16, false),
          text('due_on', 10, false),
          { name: 'departments', type: 'text', isNullable: true },
          text('created_at', 30, false),
          text('created_by', 100, false),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'survey_divisions',
        columns: [
          id,
          text('survey_id', 64, false),
          { name: 'division_id', type: 'integer' },
          text('status', 16, false),
          { name: 'items', type: 'integer', default: 0 },
          text('answered_at', 30),
          text('answered_by', 100),
          { name: 'rows', type: 'integer', isNullable: true },
          text('answer_kind', 16),
          { name: 'return_reason', type: 'text', isNullable: true },
          text('updated_at', 30, false),
        ],
        uniques: [{ name: 'uq_survey_divisions', columnNames: ['survey_id', 'division_id'] }],
        foreignKeys: [
          { columnNames: ['survey_id'], referencedTableName: 'survey_rounds', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['division_id'], referencedTableName: 'divisions', referencedColumnNames: ['id'] },
        ],
        indices: [{ name: 'ix_survey_divisions_division', columnNames: ['division_id', 'status'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'survey_events',
        columns: [
          id,
          text('survey_id', 64, false),
          { name: 'division_id', type: 'integer' },
          text('action', 16, false),
          text('at', 30, false),
          text('by_user', 100, false),
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'rows', type: 'integer', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['survey_id'], referencedTableName: 'survey_rounds', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [{ name: 'ix_survey_events_round', columnNames: ['survey_id', 'division_id', 'id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'item_reports',
        columns: [
          { name: 'item_id', type: 'integer', isPrimary: true },
          text('reported_status', 32, false),
          text('reported_at', 30, false),
          text('reported_by', 100, false),
          text('previous_status', 32, false),
          text('previous_effective_on', 10),
          text('previous_completed_on', 10),
        ],
        foreignKeys: [{ columnNames: ['item_id'], referencedTableName: 'items', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
    // The built-in seal and analog documents say confirmDone from now on. Program seeds are
    // insert-only, so a database that stored them before gets the flag here (once, and only
    // on the built-in rows; a city's own edit that already set the key is left as it is).
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const rows: { key: string; document: string }[] = await queryRunner.query(`SELECT key, document FROM programs WHERE builtin = ${postgres ? 'true' : '1'} AND key IN ('seal', 'analog')`);
    for (const row of rows) {
      const document = JSON.parse(row.document) as Record<string, unknown>;
      if (document.confirmDone !== undefined) continue;
      await queryRunner.query(postgres ? 'UPDATE programs SET document = $1 WHERE key = $2' : 'UPDATE programs SET document = ? WHERE key = ?', [JSON.stringify({ ...document, confirmDone: true }), row.key]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['item_reports', 'survey_events', 'survey_divisions', 'survey_rounds']) await queryRunner.dropTable(table, true);
  }
}
