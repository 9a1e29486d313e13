import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { Department } from '../organization/department.entity';
import { Division } from '../organization/division.entity';
import { OrganizationModule } from '../organization/organization.module';
import { ProgressModule } from '../progress/progress.module';
import { VolumesModule } from '../volumes/volumes.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [TypeOrmModule.forFeature([Department, Division]), OrganizationModule, ProgressModule, VolumesModule, AuditModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
