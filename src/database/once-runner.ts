import { Inject, Injectable } from '@nestjs/common';
import * as os from 'node:os';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../common/clock';

// Scheduled jobs (reminders, backups) run once per slot however many server processes share the
// database: each process that finds a slot due tries to claim it with one INSERT … ON CONFLICT DO
// NOTHING on (job, slot), and only the process whose insert went in runs the job. A claim is a
// lease: a process that dies mid-job leaves an unfinished row whose lease runs out, and the next
// process to look takes the slot over. SQLite and PostgreSQL both do this in one statement.

export type OnceOutcome<T> = { ran: true; result: T } | { ran: false; reason: 'claimed' | 'done'; holder: string };

export interface OnceOptions {
  /** How long a claim holds before another process may take over an unfinished run. */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 60 * 60 * 1000;

/** `host:pid`, so an operator can tell from job_runs which process ran a job. */
export function processHolder(): string {
  return `${os.hostname()}:${process.pid}`;
}

@Injectable()
export class OnceRunner {
  private readonly holder: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.holder = processHolder();
  }

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  private sql(text: string): string {
    let index = 0;
    return this.postgres ? text.replace(/\?/g, () => `$${++index}`) : text;
  }

  /** Runs `work` if this process wins the slot; otherwise says who has it. */
  async run<T>(job: string, slot: string, work: () => Promise<T>, options: OnceOptions = {}): Promise<OnceOutcome<T>> {
    const holder = `${this.holder}#${Math.random().toString(36).slice(2, 8)}`;
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
    const claimed = await this.claim(job, slot, holder, now.toISOString(), leaseUntil);
    if (!claimed) {
      const [row] = (await this.dataSource.query(this.sql('SELECT holder, finished_at FROM job_runs WHERE job = ? AND slot = ?'), [job, slot])) as { holder: string; finished_at: string | null }[];
      return { ran: false, reason: row?.finished_at ? 'done' : 'claimed', holder: row?.holder ?? '' };
    }
    try {
      const result = await work();
      await this.finish(job, slot, holder, 'done', null);
      return { ran: true, result };
    } catch (error) {
      await this.finish(job, slot, holder, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async claim(job: string, slot: string, holder: string, startedAt: string, leaseUntil: string): Promise<boolean> {
    const inserted = (await this.dataSource.query(
      this.sql('INSERT INTO job_runs (job, slot, holder, started_at, lease_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (job, slot) DO NOTHING RETURNING holder'),
      [job, slot, holder, startedAt, leaseUntil],
    )) as { holder: string }[];
    if (inserted.length) return true;
    // An unfinished run whose lease ran out: its process died. One statement, so of two processes
    // taking over at once only one matches.
    const taken = (await this.dataSource.query(
      this.sql('UPDATE job_runs SET holder = ?, started_at = ?, lease_until = ? WHERE job = ? AND slot = ? AND finished_at IS NULL AND lease_until < ? RETURNING holder'),
      [holder, startedAt, leaseUntil, job, slot, startedAt],
    )) as { holder: string }[] | [{ holder: string }[], number];
    const rows = this.postgres ? (taken as [{ holder: string }[], number])[0] : (taken as { holder: string }[]);
    return rows.length === 1;
  }

  private async finish(job: string, slot: string, holder: string, outcome: 'done' | 'failed', detail: string | null): Promise<void> {
    await this.dataSource.query(this.sql('UPDATE job_runs SET finished_at = ?, outcome = ?, detail = ? WHERE job = ? AND slot = ? AND holder = ?'), [
      this.clock.now().toISOString(),
      outcome,
      detail,
      job,
      slot,
      holder,
    ]);
  }
}

/** The slot of a daily job at `time` (HH:MM in the city's zone): today's date once it is due, else null. */
export function dueDailySlot(clock: Clock, time: string, timeZone: string): string | null {
  const now = clock.now();
  const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  return local >= time ? clock.today() : null;
}

export interface DailyJob<T> {
  job: string;
  /** HH:MM in `timeZone`. */
  at: string;
  timeZone: string;
  work: () => Promise<T>;
  /** How often a process looks whether the slot is due (default a minute). */
  everyMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * A daily job for a server process: every process schedules it, each looks every minute, and
 * OnceRunner lets one of them run it once the day's time has come. `tick` is the look itself.
 */
export function scheduleDaily<T>(runner: OnceRunner, clock: Clock, job: DailyJob<T>): { tick(): Promise<OnceOutcome<T> | null>; stop(): void } {
  const tick = async () => {
    const slot = dueDailySlot(clock, job.at, job.timeZone);
    return slot === null ? null : runner.run(job.job, slot, job.work);
  };
  const timer = setInterval(() => tick().catch((error: unknown) => job.onError?.(error)), job.everyMs ?? 60_000);
  // a schedule never keeps a stopping process alive
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
