import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

// Progress as of a past date looks up the history only of items changed after that date; this
// index finds them without scanning every item.
export class LaterChangesIndex1764600000000 implements MigrationInterface {
  name = 'LaterChangesIndex1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('items', new TableIndex({ name: 'ix_items_status_effective_on', columnNames: ['status_effective_on'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('items', 'ix_items_status_effective_on');
  }
}
