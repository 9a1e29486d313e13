import { Module } from '@nestjs/common';
import { OrganizationModule } from '../organization/organization.module';
import { PlansModule } from '../plans/plans.module';
import { ProgressModule } from '../progress/progress.module';
import { VolumesModule } from '../volumes/volumes.module';
import { DemoService } from './demo.service';

@Module({
  imports: [OrganizationModule, ProgressModule, PlansModule, VolumesModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class SampleDataModule {}
