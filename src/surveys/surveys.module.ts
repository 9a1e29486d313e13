import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { SURVEY_ANSWERS, SURVEY_STATUS_SOURCE } from '../common/survey-answers';
import { ItemsModule } from '../items/items.module';
import { Department } from '../organization/department.entity';
import { Division } from '../organization/division.entity';
import { OrganizationModule } from '../organization/organization.module';
import { OPEN_REQUESTS } from '../reminders/reminders.service';
import { SurveyDivision, SurveyEvent, SurveyRound } from './survey.entities';
import { SurveysController } from './surveys.controller';
import { SurveysService } from './surveys.service';

// Global so the importer (answers with ?survey=), the compliance workbook (回答状況) and the
// reminder mails (open requests) reach the
// rounds through the tokens in common/, without importing this folder.
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SurveyRound, SurveyDivision, SurveyEvent, Division, Department]), OrganizationModule, ItemsModule, AuditModule],
  controllers: [SurveysController],
  providers: [
    SurveysService,
    { provide: SURVEY_ANSWERS, useExisting: SurveysService },
    { provide: SURVEY_STATUS_SOURCE, useExisting: SurveysService },
    // the reminder mail's first section: each division's open requests
    { provide: OPEN_REQUESTS, useExisting: SurveysService },
  ],
  exports: [SurveysService, SURVEY_ANSWERS, SURVEY_STATUS_SOURCE, OPEN_REQUESTS],
})
export class SurveysModule {}
