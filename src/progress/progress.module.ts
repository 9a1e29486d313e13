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
import { TargetsModule } from '../targets/targets.module';

@Module({
  imports: [TypeOrmModule.forFeature([Department, Division, DivisionPeriod]), OrganizationModule, AuditModule, PlansModule, TargetsModule],
  controllers: [ProgressController],
  providers: [ProgressRepository, ProgressService],
  // TargetsModule re-exported: the folders that ask progress also read its targets.
  exports: [ProgressService, TargetsModule],
})
export class ProgressModule {}
