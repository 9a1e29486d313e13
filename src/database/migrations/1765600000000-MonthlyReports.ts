import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

// Monthly reports (月次報告) per item and month, append-only (each revision is a row), and each
// item's own monthly plan (planned percent and milestone). Schema builder: SQLite and PostgreSQL.
export class MonthlyReports1765600000000 implements MigrationInterface {
  name = 'MonthlyReports1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'monthly_reports',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'item_id', type: 'integer' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'progress', type: 'integer' },
          { name: 'comment', type: 'text', isNullable: true },
          { name: 'reported_by', type: 'varchar', length: '100' },
          { name: 'reported_at', type: 'varchar', length: '30' },
        ],
        foreignKeys: [{ columnNames: ['item_id'], referencedTableName: 'items', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        // the latest revision of an item's latest month: one index range scan
        indices: [new TableIndex({ name: 'ix_monthly_reports_item_month', columnNames: ['item_id', 'month', 'id'] })],
        checks: [{ name: 'ck_monthly_reports_progress', expression: 'progress >= 0 AND progress <= 100' }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'monthly_report_plans',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'item_id', type: 'integer' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'planned', type: 'integer', isNullable: true },
          { name: 'milestone', type: 'varchar', length: '200', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['item_id'], referencedTableName: 'items', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'uq_monthly_report_plans_item_month', columnNames: ['item_id', 'month'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('monthly_report_plans', true);
    await queryRunner.dropTable('monthly_reports', true);
  }
}
