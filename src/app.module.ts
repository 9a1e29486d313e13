import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { Clock, SystemClock } from './common/clock';
import { CoreModule } from './common/core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HttpErrorFilter } from './common/http-exception.filter';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { ItemsModule } from './items/items.module';
import { OrganizationModule } from './organization/organization.module';
import { ProgramsModule } from './programs/programs.module';
import { ReorganizationModule } from './reorganization/reorganization.module';
import { ProgressModule } from './progress/progress.module';
import { PublicReportingModule } from './public-reporting/public-reporting.module';
import { SampleDataModule } from './sample-data/sample-data.module';
import { VolumesModule } from './volumes/volumes.module';
import { MonthlyReportsModule } from './monthly-reports/monthly-reports.module';
import { ReformModule } from './reform/reform.module';
import { ProgressReportModule } from './progress-report/progress-report.module';
import { RemindersModule } from './reminders/reminders.module';
import { ReferenceDataModule } from './reference/reference-data.module';
import { ReportsModule } from './reports/reports.module';
import { SurveysModule } from './surveys/surveys.module';
import { TargetsModule } from './targets/targets.module';
import { ENTITIES } from './entities';

export interface AppModuleOptions {
  config: AppConfig;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, clock ?? new SystemClock(config.timeZone)),
        DatabaseModule.forRoot(config.database, ENTITIES),
        AuditModule,
        OrganizationModule,
        ReorganizationModule,
        AuthModule,
        ItemsModule,
        ImportsModule,
        TargetsModule,
        ProgressModule,
        VolumesModule,
        MonthlyReportsModule,
        ReformModule,
        ProgressReportModule,
        PublicReportingModule,
        SampleDataModule,
        ProgramsModule,
        DashboardModule,
        ReferenceDataModule,
        ReportsModule,
        AttachmentsModule,
        RemindersModule,
        SurveysModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
