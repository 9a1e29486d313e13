import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

// Monthly plans per target (月別業務計画) and channel volumes per online procedure and month.
// Schema builder (not raw SQL) so the same migration runs on SQLite and PostgreSQL.
export class PlansAndVolumes1764400000000 implements MigrationInterface {
  name = 'PlansAndVolumes1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'target_plans',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'target_id', type: 'varchar', length: '64' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'planned', type: 'integer' },
        ],
        foreignKeys: [{ columnNames: ['target_id'], referencedTableName: 'targets', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'uq_target_plans_target_month', columnNames: ['target_id', 'month'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'channel_volumes',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'item_id', type: 'integer' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'online_count', type: 'integer' },
          { name: 'offline_count', type: 'integer' },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
        foreignKeys: [{ columnNames: ['item_id'], referencedTableName: 'items', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [
          new TableIndex({ name: 'uq_channel_volumes_item_month', columnNames: ['item_id', 'month'], isUnique: true }),
          // take-up sums a period over every item
          new TableIndex({ name: 'ix_channel_volumes_month', columnNames: ['month'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('channel_volumes', true);
    await queryRunner.dropTable('target_plans', true);
  }
}
