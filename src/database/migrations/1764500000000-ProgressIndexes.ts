import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

// The progress aggregate groups items by program, national group, division and state and sums
// past-due items; this covering index lets it read the index alone, in group order.
export class ProgressIndexes1764500000000 implements MigrationInterface {
  name = 'ProgressIndexes1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'items',
      new TableIndex({ name: 'ix_items_progress', columnNames: ['program', 'national_group', 'division_id', 'status', 'status_effective_on', 'due_on'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('items', 'ix_items_progress');
  }
}
