import { MigrationInterface, QueryRunner, Table } from 'typeorm';

// One row per run of a scheduled job and slot (e.g. the backup of 2026-11-24): several server
// processes on one database race to insert it, and only the one that does runs the job.
export class JobRuns1765300000000 implements MigrationInterface {
  name = 'JobRuns1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'job_runs',
        columns: [
          { name: 'job', type: 'varchar', length: '64', isPrimary: true },
          { name: 'slot', type: 'varchar', length: '40', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '200' },
          { name: 'started_at', type: 'varchar', length: '30' },
          { name: 'lease_until', type: 'varchar', length: '30' },
          { name: 'finished_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'outcome', type: 'varchar', length: '16', isNullable: true },
          { name: 'detail', type: 'text', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_runs');
  }
}
