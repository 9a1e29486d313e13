import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Department } from '../organization/department.entity';
import { Division, DivisionPeriod } from '../organization/division.entity';
import { OrganizationModule } from '../organization/organization.module';
import { PlansModule } from '../plans/plans.module';
import { ProgressController } from './progress.controller';
import { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';
import { Target } from './target.entity';
import { TargetsService } from './targets.service';

@Module({
  imports: [TypeOrmModule.forFeature([Target, Department, Division, DivisionPeriod]), OrganizationModule, AuditModule, PlansModule],
  controllers: [ProgressController],
  providers: [ProgressRepository, ProgressService, TargetsService],
  exports: [ProgressService, TargetsService],
})
export class ProgressModule {}
