import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One 照会 round: a program's inventory sent to the divisions that own its items, due on a date. */
@Entity({ name: 'survey_rounds' })
export class SurveyRound {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 16 })
  program!: string;

  @Column({ name: 'due_on', type: 'varchar', length: 10 })
  dueOn!: string;

  /** JSON list of the department codes in scope; null = every department. */
  @Column({ type: 'text', nullable: true })
  departments!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;
}

/** What every per-division row of a round has: its id, the round and the division. */
abstract class RoundDivisionRow {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'survey_id', type: 'varchar', length: 64 })
  surveyId!: string;

  @Column({ name: 'division_id', type: 'integer' })
  divisionId!: number;
}

/** A division's place in a round: its answer as it stands. */
@Entity({ name: 'survey_divisions' })
export class SurveyDivision extends RoundDivisionRow {
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  /** The division's items of the program when the round was opened (the rows of its sheet). */
  @Column({ type: 'integer', default: 0 })
  items!: number;

  @Column({ name: 'answered_at', type: 'varchar', length: 30, nullable: true })
  answeredAt!: string | null;

  @Column({ name: 'answered_by', type: 'varchar', length: 100, nullable: true })
  answeredBy!: string | null;

  /** Rows of the last answer (0 for "no change"); null before any answer. */
  @Column({ type: 'integer', nullable: true })
  rows!: number | null;

  /** 'sheet' or 'no_change'. */
  @Column({ name: 'answer_kind', type: 'varchar', length: 16, nullable: true })
  answerKind!: string | null;

  @Column({ name: 'return_reason', type: 'text', nullable: true })
  returnReason!: string | null;

  @Column({ name: 'updated_at', type: 'varchar', length: 30 })
  updatedAt!: string;
}

/** Append-only history of a division's answer: opened, answered, returned, confirmed. */
@Entity({ name: 'survey_events' })
export class SurveyEvent extends RoundDivisionRow {
  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ type: 'varchar', length: 30 })
  at!: string;

  @Column({ name: 'by_user', type: 'varchar', length: 100 })
  by!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'integer', nullable: true })
  rows!: number | null;
}
