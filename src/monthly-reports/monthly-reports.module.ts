import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tmpdir } from 'node:os';
import { AuditModule } from '../audit/audit.module';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Item } from '../items/item.entity';
import { Division } from '../organization/division.entity';
import { MonthlyReport, MonthlyReportPlan } from './monthly-report.entity';
import { MonthlyReportsController } from './monthly-reports.controller';
import { MonthlyReportsService } from './monthly-reports.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([MonthlyReport, MonthlyReportPlan, Item, Division]),
    AuditModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ dest: tmpdir(), limits: { fileSize: config.uploadLimitBytes, files: 1 }, defParamCharset: 'utf8' }),
    }),
  ],
  controllers: [MonthlyReportsController],
  providers: [MonthlyReportsService],
  exports: [MonthlyReportsService],
})
export class MonthlyReportsModule {}
