import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OrganizationModule } from '../organization/organization.module';
import { ProgressModule } from '../progress/progress.module';
import { ReminderRun } from './reminder-run.entity';
import { ReminderScheduler } from './reminder-scheduler';
import { RemindersService } from './reminders.service';

@Module({
  imports: [TypeOrmModule.forFeature([ReminderRun]), ProgressModule, OrganizationModule, AuditModule],
  providers: [RemindersService, ReminderScheduler],
  exports: [RemindersService, ReminderScheduler],
})
export class RemindersModule {}
