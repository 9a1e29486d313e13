import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One monthly report (月次報告) as entered: rows are only ever added, so a changed report is a
 * new revision and the table is its own history; the latest revision of (item, month) is in force.
 */
@Entity({ name: 'monthly_reports' })
@Index('ix_monthly_reports_item_month', ['itemId', 'month', 'id'])
export class MonthlyReport {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'item_id', type: 'integer' })
  itemId!: number;

  /** YYYY-MM: the month the report speaks for. */
  @Column({ type: 'varchar', length: 7 })
  month!: string;

  /** 0–100 */
  @Column({ type: 'integer' })
  progress!: number;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'reported_by', type: 'varchar', length: 100 })
  reportedBy!: string;

  /** ISO instant of the entry. */
  @Column({ name: 'reported_at', type: 'varchar', length: 30 })
  reportedAt!: string;
}

/** One month of an initiative's own plan: cumulative planned percent by the month's end and the step due. */
@Entity({ name: 'monthly_report_plans' })
@Index('uq_monthly_report_plans_item_month', ['itemId', 'month'], { unique: true })
export class MonthlyReportPlan {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'item_id', type: 'integer' })
  itemId!: number;

  @Column({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ type: 'integer', nullable: true })
  planned!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  milestone!: string | null;
}
