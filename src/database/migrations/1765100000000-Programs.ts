import { MigrationInterface, QueryRunner, Table } from 'typeorm';

// Program definitions become data (CONTRACT.md "Programs as data"): one row per program, its JSON
// document as text. The built-in documents are inserted by the application on start (from
// seeds/programs/), not here, so a migration never carries a copy of them.
export class Programs1765100000000 implements MigrationInterface {
  name = 'Programs1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'programs',
        columns: [
          { name: 'key', type: 'varchar', length: '16', isPrimary: true },
          { name: 'position', type: 'integer' },
          { name: 'document', type: 'text' },
          { name: 'builtin', type: 'boolean', default: false },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'updated_at', type: 'varchar', length: '30' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('programs');
  }
}
