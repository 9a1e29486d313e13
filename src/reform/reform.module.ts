import { Module } from '@nestjs/common';
import { MonthlyReportsModule } from '../monthly-reports/monthly-reports.module';
import { ProgressModule } from '../progress/progress.module';
import { ReformController } from './reform.controller';
import { ReformService } from './reform.service';

@Module({
  imports: [ProgressModule, MonthlyReportsModule],
  controllers: [ReformController],
  providers: [ReformService],
  exports: [ReformService],
})
export class ReformModule {}
