import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// Reminder mails go to each division's contact addresses: a JSON array of e-mail addresses (null = none set).
export class DivisionContacts1765700001000 implements MigrationInterface {
  name = 'DivisionContacts1765700001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('divisions', new TableColumn({ name: 'contact_emails', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('divisions', 'contact_emails');
  }
}
