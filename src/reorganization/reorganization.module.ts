import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReorganizationController } from './reorganization.controller';
import { ReorganizationService } from './reorganization.service';

// A reorganization changes departments and divisions and moves their items (through the items
// repository), so it sits above both organization/ and items/ rather than inside either.
@Module({
  imports: [AuditModule],
  controllers: [ReorganizationController],
  providers: [ReorganizationService],
  exports: [ReorganizationService],
})
export class ReorganizationModule {}
