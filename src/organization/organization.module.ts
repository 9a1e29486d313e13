import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Department } from './department.entity';
import { Division, DivisionPeriod } from './division.entity';
import { OrganizationController } from './organization.controller';
import { OrganizationService } from './organization.service';
import { AuditModule } from '../audit/audit.module';
import { ReorganizationController } from './reorganization.controller';
import { ReorganizationService } from './reorganization.service';

@Module({
  imports: [TypeOrmModule.forFeature([Department, Division, DivisionPeriod]), AuditModule],
  controllers: [OrganizationController, ReorganizationController],
  providers: [OrganizationService, ReorganizationService],
  exports: [OrganizationService, ReorganizationService],
})
export class OrganizationModule {}
