import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tmpdir } from 'node:os';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AuditModule } from '../audit/audit.module';
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
    // a plan sheet uploaded from the page: to disk, as item sheets are (ImportsModule)
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ dest: tmpdir(), limits: { fileSize: config.uploadLimitBytes, files: 1 }, defParamCharset: 'utf8' }),
    }),
  ],
  controllers: [PlansController],
  providers: [PlansService],
  exports: [PlansService],
})
export class PlansModule {}
