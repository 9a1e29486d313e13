import { Module } from '@nestjs/common';
import { ProgressModule } from '../progress/progress.module';
import { ReformModule } from '../reform/reform.module';
import { ProgressReportController } from './progress-report.controller';
import { ProgressReportService } from './progress-report.service';

@Module({
  imports: [ProgressModule, ReformModule],
  controllers: [ProgressReportController],
  providers: [ProgressReportService],
  exports: [ProgressReportService],
})
export class ProgressReportModule {}
