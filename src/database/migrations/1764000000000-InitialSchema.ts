import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

// Written with TypeORM's schema builder (not raw SQL) so the same migration runs on SQLite and PostgreSQL.
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const date = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: '10', isNullable: nullable });
const timestamp = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '30', isNullable: nullable });
const text = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'departments',
        columns: [id, text('code', 32, false), text('name', 100, false), date('valid_from'), date('valid_to')],
        uniques: [{ name: 'uq_departments_code', columnNames: ['code'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'divisions',
        columns: [
          id,
          text('code', 32, false),
          text('name', 100, false),
          text('match_name', 100, false),
          { name: 'department_id', type: 'integer' },
          date('valid_from'),
          date('valid_to'),
        ],
        uniques: [{ name: 'uq_divisions_code', columnNames: ['code'] }],
        foreignKeys: [{ columnNames: ['department_id'], referencedTableName: 'departments', referencedColumnNames: ['id'] }],
        indices: [{ name: 'ix_divisions_match_name', columnNames: ['match_name'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'division_periods',
        columns: [
          id,
          { name: 'division_id', type: 'integer' },
          { name: 'department_id', type: 'integer' },
          text('name', 100, false),
          date('valid_from'),
          date('valid_to'),
        ],
        foreignKeys: [
          { columnNames: ['division_id'], referencedTableName: 'divisions', referencedColumnNames: ['id'] },
          { columnNames: ['department_id'], referencedTableName: 'departments', referencedColumnNames: ['id'] },
        ],
        indices: [{ name: 'ix_division_periods_division', columnNames: ['division_id', 'valid_from'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'items',
        columns: [
          id,
          text('program', 16, false),
          text('code', 64, false),
          text('name', 500, false),
          text('status', 32, false),
          date('status_effective_on'),
          { name: 'division_id', type: 'integer' },
          date('due_on'),
          date('completed_on'),
          { name: 'note', type: 'text', isNullable: true },
          text('national_group', 16),
          text('category', 100),
          { name: 'annual_volume', type: 'integer', isNullable: true },
          text('channel', 200),
          text('basis_level', 32),
          text('legal_basis', 500),
          text('seal_kind', 32),
          text('replacement', 32),
          text('article', 200),
          text('analog_type', 32),
          text('search_text', 600, false),
          { name: 'version', type: 'integer', default: 1 },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        foreignKeys: [{ columnNames: ['division_id'], referencedTableName: 'divisions', referencedColumnNames: ['id'] }],
        indices: [
          new TableIndex({ name: 'uq_items_program_code', columnNames: ['program', 'code'], isUnique: true }),
          new TableIndex({ name: 'ix_items_program_status', columnNames: ['program', 'status'] }),
          new TableIndex({ name: 'ix_items_program_group', columnNames: ['program', 'national_group'] }),
          new TableIndex({ name: 'ix_items_division', columnNames: ['division_id', 'program'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'status_history',
        columns: [
          id,
          { name: 'item_id', type: 'integer' },
          timestamp('at'),
          text('by_user', 100, false),
          text('from_status', 32),
          text('to_status', 32, false),
          date('effective_on'),
          { name: 'note', type: 'text', isNullable: true },
          { name: 'changes', type: 'text', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['item_id'], referencedTableName: 'items', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          new TableIndex({ name: 'ix_status_history_item', columnNames: ['item_id', 'effective_on', 'id'] }),
          new TableIndex({ name: 'ix_status_history_at', columnNames: ['at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          text('name', 100, false),
          text('role', 16, false),
          { name: 'department_id', type: 'integer', isNullable: true },
          text('token_hash', 64, false),
          text('token_prefix', 16, false),
          timestamp('created_at'),
          timestamp('revoked_at', true),
        ],
        uniques: [{ name: 'uq_users_token_hash', columnNames: ['token_hash'] }],
        foreignKeys: [{ columnNames: ['department_id'], referencedTableName: 'departments', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [id, timestamp('at'), text('by_user', 100, false), text('action', 50, false), { name: 'detail', type: 'text', isNullable: true }],
        indices: [new TableIndex({ name: 'ix_audit_entries_at', columnNames: ['at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'targets',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          text('program', 16, false),
          text('label', 200, false),
          date('deadline', false),
          { name: 'scope', type: 'text', isNullable: true },
          timestamp('created_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['targets', 'audit_entries', 'users', 'status_history', 'items', 'division_periods', 'divisions', 'departments']) {
      await queryRunner.dropTable(table, true);
    }
  }
}
