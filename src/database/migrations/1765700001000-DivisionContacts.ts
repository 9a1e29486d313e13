import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

// Reminder mails: each division's contact addresses (a JSON array; null = none set), and one row
// per day a scheduled reminder run was claimed, so that of several server processes only one sends.
export class DivisionContacts1765700001000 implements MigrationInterface {
  name = 'DivisionContacts1765700001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('divisions', new TableColumn({ name: 'contact_emails', type: 'text', isNullable: true }));
    await queryRunner.createTable(
      new Table({
        name: 'reminder_runs',
        columns: [
          { name: 'run_on', type: 'varchar', length: '10', isPrimary: true },
          { name: 'claimed_at', type: 'varchar', length: '30' },
          { name: 'claimed_by', type: 'varchar', length: '100' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('reminder_runs');
    await queryRunner.dropColumn('divisions', 'contact_emails');
  }
}
