import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Repository } from 'typeorm';
import { SYSTEM_ACTOR } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { ReminderRun } from './reminder-run.entity';
import { msUntilNextRun } from './reminder-schedule';
import { RemindersService } from './reminders.service';

// The daily reminder run inside the server (REMINDER_TIME). Kept small on purpose: one timer,
// re-armed after each run. Several server processes may share one database: each day's run is
// claimed by inserting that day into reminder_runs (primary key), so only one process sends.

export const SCHEDULER_ACTOR = { ...SYSTEM_ACTOR, name: 'scheduler' };

@Injectable()
export class ReminderScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly reminders: RemindersService,
    @InjectRepository(ReminderRun) private readonly runs: Repository<ReminderRun>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Arms the timer when REMINDER_TIME is set (called by the server, never by the CLI). */
  start(): void {
    if (!this.config.reminderTime || this.timer) return;
    if (!this.config.smtpUrl) this.logger.warn('REMINDER_TIME is set but SMTP_URL is not: each run will fail (and say so) until it is');
    const wait = msUntilNextRun(this.clock.now().getTime(), this.config.reminderTime, this.config.timeZone);
    this.timer = setTimeout(() => void this.fire(), wait);
    this.timer.unref();
    this.logger.log(`reminder mails daily at ${this.config.reminderTime} (${this.config.timeZone}); next in ${Math.round(wait / 60_000)} min`);
  }

  /** Claims today's run; false when another process (or an earlier start) already did. */
  async claim(day: string): Promise<boolean> {
    // INSERT OR IGNORE / ON CONFLICT DO NOTHING, then read back who holds the day: no failed
    // statement (which TypeORM would log), and exactly one claimant wins on either database.
    const claimant = `${hostname()} pid ${process.pid} ${randomBytes(4).toString('hex')}`;
    await this.runs.createQueryBuilder().insert().into(ReminderRun).values({ runOn: day, claimedAt: this.clock.now().toISOString(), claimedBy: claimant }).orIgnore().execute();
    const holder = await this.runs.findOneBy({ runOn: day });
    return holder?.claimedBy === claimant;
  }

  /** One scheduled run: claim the day, send, log the outcome (failures are in the audit log too). */
  async runOnce(): Promise<void> {
    const day = this.clock.today();
    if (!(await this.claim(day))) {
      this.logger.log(`reminders for ${day} already sent by another process`);
      return;
    }
    const result = await this.reminders.run({ asOf: day, actor: SCHEDULER_ACTOR });
    const failed = result.failed.map((entry) => entry.division).join(', ');
    this.logger.log(`reminders for ${day}: ${result.sent.length} sent, ${result.failed.length} failed${failed ? ` (${failed})` : ''}, ${result.noContacts.length} without contacts`);
    if (result.failed.length) this.logger.error(`reminder mails failed for ${failed}: see the audit log (reminder_failed)`);
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    try {
      await this.runOnce();
    } catch (error) {
      this.logger.error(`reminder run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.start();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
