import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { SheetUploadModule } from '../sheet-import/sheet-upload';
import { Target } from '../targets/target.entity';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';
import { TargetPlan } from './target-plan.entity';

// Imported by ProgressModule (progress reports plan against actual), so it must not import it back;
// the targets it plans for live in targets/, below both.
@Module({
  imports: [
    TypeOrmModule.forFeature([TargetPlan, Target]),
    AuditModule,
    SheetUploadModule,
  ],
  controllers: [PlansController],
  providers: [PlansService],
  exports: [PlansService],
})
export class PlansModule {}
