import { Inject, Injectable, Optional } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { OrganizationService } from '../organization/organization.service';
import { getProgram } from '../programs/program-definitions';
import { ProgramKey } from '../programs/program.types';
import { ProgressService } from '../progress/progress.service';
import { MailTransport, smtpTransport } from './mail-transport';
import { buildReminderMail, DivisionReminder, hasSomethingToRemind, OpenRequestLine } from './reminder-mail';
import { realSleep, RetryPolicy, withRetry } from './retry';

/**
 * Open survey requests (照会) per division code, for the mail's first section. Survey rounds
 * provide it under OPEN_REQUESTS when they exist; without a provider the section is empty.
 */
export interface OpenRequestsSource {
  openRequests(asOf: string): Promise<Map<string, OpenRequestLine[]>>;
}
export const OPEN_REQUESTS = Symbol('OPEN_REQUESTS');

export interface ReminderPlanEntry {
  division: string;
  divisionName: string;
  to: string[];
  overdue: number;
  requests: number;
  subject: string;
}

export interface ReminderRunResult {
  asOf: string;
  dryRun: boolean;
  /** Mails sent (or, in a dry run, that would be sent). */
  sent: (ReminderPlanEntry & { messageId?: string; attempts?: number; rejected?: string[] })[];
  /** Mails that could not be sent after every attempt. */
  failed: (ReminderPlanEntry & { attempts: number; errors: string[] })[];
  /** Divisions with something waiting but no contact address set. */
  noContacts: { division: string; divisionName: string; overdue: number; requests: number }[];
}

@Injectable()
export class RemindersService {
  /** Replaced in tests so that retries do not wait. */
  sleep: (ms: number) => Promise<void> = realSleep;

  constructor(
    private readonly progress: ProgressService,
    private readonly organization: OrganizationService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(OPEN_REQUESTS) private readonly requestsSource?: OpenRequestsSource,
  ) {}

  private get retryPolicy(): RetryPolicy {
    return { attempts: this.config.mailRetryAttempts, baseDelayMs: this.config.mailRetryDelayMs };
  }

  /** What each division would be sent on `asOf`: its overdue items and open requests. */
  async reminders(asOf: string): Promise<DivisionReminder[]> {
    const report = await this.progress.overdue(asOf, { limit: Number.MAX_SAFE_INTEGER });
    const requests = this.requestsSource ? await this.requestsSource.openRequests(asOf) : new Map<string, OpenRequestLine[]>();
    const byDivision = new Map<string, DivisionReminder>();
    const entry = (code: string, name: string, departmentName: string) => {
      let reminder = byDivision.get(code);
      if (!reminder) {
        reminder = { divisionCode: code, divisionName: name, departmentName, overdue: [], requests: requests.get(code) ?? [] };
        byDivision.set(code, reminder);
      }
      return reminder;
    };
    for (const item of report.items) {
      entry(item.division.code, item.division.name, item.department.name).overdue.push({
        programLabel: getProgram(item.program as ProgramKey).label,
        code: item.code,
        name: item.name,
        statusLabel: item.statusLabel,
        since: item.since,
        reasons: item.reasons.map((reason) => (reason.kind === 'dueOn' ? reason : { kind: 'target', date: reason.date, label: reason.label })),
      });
    }
    if (requests.size) {
      const organization = await this.organization.organization(null);
      for (const department of organization.departments) {
        for (const division of department.divisions) if (requests.has(division.code)) entry(division.code, division.name, department.name);
      }
    }
    return [...byDivision.values()].filter(hasSomethingToRemind).sort((a, b) => a.divisionCode.localeCompare(b.divisionCode));
  }

  /**
   * Sends each division with something waiting one mail. Every mail sent and every failure
   * (after the retries) is in the audit log; a dry run sends nothing and records nothing.
   */
  async run(options: { asOf?: string; dryRun?: boolean; actor: Actor; transport?: MailTransport }): Promise<ReminderRunResult> {
    const asOf = options.asOf ?? this.clock.today();
    const dryRun = options.dryRun === true;
    if (!dryRun && !this.config.smtpUrl && !options.transport) {
      throw new DomainError('smtp_not_configured', 'メールを送るには SMTP_URL（例: smtp://relay.city.local:25）を設定してください（--dry-run なら送らずに確認できます）');
    }
    const contacts = await this.organization.divisionContacts();
    const result: ReminderRunResult = { asOf, dryRun, sent: [], failed: [], noContacts: [] };
    const planned: { entry: ReminderPlanEntry; text: string }[] = [];
    for (const reminder of await this.reminders(asOf)) {
      const to = contacts.get(reminder.divisionCode)?.contacts ?? [];
      if (!to.length) {
        result.noContacts.push({ division: reminder.divisionCode, divisionName: reminder.divisionName, overdue: reminder.overdue.length, requests: reminder.requests.length });
        continue;
      }
      const mail = buildReminderMail(reminder, asOf, this.config.publicUrl ?? undefined);
      planned.push({
        entry: { division: reminder.divisionCode, divisionName: reminder.divisionName, to, overdue: reminder.overdue.length, requests: reminder.requests.length, subject: mail.subject },
        text: mail.text,
      });
    }
    if (dryRun) {
      result.sent = planned.map(({ entry }) => entry);
      return result;
    }
    const transport = options.transport ?? smtpTransport(this.config.smtpUrl!);
    try {
      for (const { entry, text } of planned) {
        const outcome = await withRetry(
          () => transport.send({ from: this.config.mailFrom, to: entry.to, subject: entry.subject, text, date: this.clock.now(), headers: { 'X-Tracker-Division': entry.division } }),
          this.retryPolicy,
          this.sleep,
        );
        if (outcome.ok) {
          const sent = { ...entry, messageId: outcome.value.messageId, attempts: outcome.attempts, rejected: outcome.value.rejected };
          result.sent.push(sent);
          await this.audit.record(options.actor, 'reminder_sent', { asOf, division: entry.division, to: entry.to, overdue: entry.overdue, requests: entry.requests, messageId: sent.messageId, attempts: sent.attempts, rejected: sent.rejected });
        } else {
          result.failed.push({ ...entry, attempts: outcome.attempts, errors: outcome.errors });
          await this.audit.record(options.actor, 'reminder_failed', { asOf, division: entry.division, to: entry.to, attempts: outcome.attempts, errors: outcome.errors });
        }
      }
    } finally {
      if (!options.transport) transport.close();
    }
    if (result.noContacts.length) {
      await this.audit.record(options.actor, 'reminder_skipped', { asOf, reason: 'no_contacts', divisions: result.noContacts.map((entry) => entry.division) });
    }
    return result;
  }
}
