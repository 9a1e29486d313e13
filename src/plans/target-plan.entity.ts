import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One month of a target's plan (月別業務計画): the completions planned in that month. */
@Entity({ name: 'target_plans' })
@Index('uq_target_plans_target_month', ['targetId', 'month'], { unique: true })
export class TargetPlan {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'target_id', type: 'varchar', length: 64 })
  targetId!: string;

  /** YYYY-MM */
  @Column({ type: 'varchar', length: 7 })
  month!: string;

  @Column({ type: 'integer' })
  planned!: number;
}
