import { Module } from '@nestjs/common';
import { ProgressModule } from '../progress/progress.module';
import { ReformModule } from '../reform/reform.module';
import { VolumesModule } from '../volumes/volumes.module';
import { PublicReportingController } from './public-reporting.controller';
import { PublicReportingService } from './public-reporting.service';

@Module({
  imports: [ProgressModule, VolumesModule, ReformModule],
  controllers: [PublicReportingController],
  providers: [PublicReportingService],
})
export class PublicReportingModule {}
