import { MigrationInterface, QueryRunner, Table } from 'typeorm';

// Evidence files (根拠資料): the metadata; the bytes are files under ATTACHMENTS_DIR named by SHA-256.
export class Attachments1765700000000 implements MigrationInterface {
  name = 'Attachments1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'attachments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'item_id', type: 'integer' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'size', type: 'integer' },
          { name: 'content_type', type: 'varchar', length: '100' },
          { name: 'uploaded_by', type: 'varchar', length: '100' },
          { name: 'uploaded_at', type: 'varchar', length: '30' },
        ],
        foreignKeys: [{ columnNames: ['item_id'], referencedTableName: 'items', referencedColumnNames: ['id'] }],
        indices: [{ name: 'ix_attachments_item', columnNames: ['item_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('attachments');
  }
}
