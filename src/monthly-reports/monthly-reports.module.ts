import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { SheetUploadModule } from '../sheet-import/sheet-upload';
import { Item } from '../items/item.entity';
import { Division } from '../organization/division.entity';
import { MonthlyReport, MonthlyReportPlan } from './monthly-report.entity';
import { MonthlyReportsController } from './monthly-reports.controller';
import { MonthlyReportsService } from './monthly-reports.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([MonthlyReport, MonthlyReportPlan, Item, Division]),
    AuditModule,
    SheetUploadModule,
  ],
  controllers: [MonthlyReportsController],
  providers: [MonthlyReportsService],
  exports: [MonthlyReportsService],
})
export class MonthlyReportsModule {}
