// Every entity, registered by the composition root (app.module.ts) rather than by src/database/,
// so the database folder imports no feature.
import { Attachment } from './attachments/attachment.entity';
import { AuditEntry } from './audit/audit-entry.entity';
import { AuthFailure } from './auth/auth-failure.entity';
import { Session } from './auth/session.entity';
import { User } from './auth/user.entity';
import { StatusHistory } from './items/status-history.entity';
import { Item } from './items/item.entity';
import { ItemReport } from './items/item-report.entity';
import { Department } from './organization/department.entity';
import { Division, DivisionPeriod } from './organization/division.entity';
import { TargetPlan } from './plans/target-plan.entity';
import { MonthlyReport, MonthlyReportPlan } from './monthly-reports/monthly-report.entity';
import { ReminderRun } from './reminders/reminder-run.entity';
import { ProgramRecord } from './programs/program.entity';
import { Target } from './targets/target.entity';
import { SurveyDivision, SurveyEvent, SurveyRound } from './surveys/survey.entities';
import { ChannelVolume } from './volumes/channel-volume.entity';

export const ENTITIES = [Department, Division, DivisionPeriod, Item, StatusHistory, User, Session, AuthFailure, AuditEntry, Target, TargetPlan, ChannelVolume, ProgramRecord, Attachment, ReminderRun, MonthlyReport, MonthlyReportPlan, ItemReport, SurveyRound, SurveyDivision, SurveyEvent];
