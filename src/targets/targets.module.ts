import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OrganizationModule } from '../organization/organization.module';
import { Target } from './target.entity';
import { TargetsController } from './targets.controller';
import { TargetsService } from './targets.service';

// Targets stand below plans/ (a plan belongs to a target) and progress/ (which measures them),
// so both import this module and it imports neither.
@Module({
  imports: [TypeOrmModule.forFeature([Target]), OrganizationModule, AuditModule],
  controllers: [TargetsController],
  providers: [TargetsService],
  exports: [TargetsService],
})
export class TargetsModule {}
