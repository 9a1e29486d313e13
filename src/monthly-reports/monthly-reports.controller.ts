import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { SheetUpload, SheetUploadQuery, UploadedSheet, UploadedSheetFile } from '../sheet-import/sheet-upload';
import { MonthlyReportsImportResult, MonthlyReportsService } from './monthly-reports.service';

/** Query of POST /api/v1/monthly-reports: dryRun, sheet (xlsx: default 月次報告, else the first) and the program. */
export class MonthlyReportsQueryDto extends SheetUploadQuery {
  @ApiPropertyOptional({ description: 'the program whose 管理番号 the sheet names (default reform)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  program?: string;
}

@ApiTags('monthly reports')
@ApiBearerAuth()
@Controller('api/v1')
export class MonthlyReportsController {
  constructor(private readonly reports: MonthlyReportsService) {}

  @Get('items/:id/reports')
  @ApiOperation({ summary: 'An item’s monthly reports (月次報告) and monthly plan, month by month, with every revision' })
  list(@Param('id') id: string) {
    return this.reports.list(id);
  }

  @Put('items/:id/reports/:month')
  @Roles('admin', 'editor')
  @ApiOperation({ summary: 'Record the month’s report { progress 0–100, comment } (the owning division’s editors and admins)' })
  @ApiBody({ schema: { type: 'object', required: ['progress'], properties: { progress: { type: 'integer', minimum: 0, maximum: 100 }, comment: { type: 'string' } } } })
  put(@Param('id') id: string, @Param('month') month: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.reports.put(id, month, body, actor);
  }

  @Put('items/:id/monthly-plan')
  @Roles('admin', 'editor')
  @ApiOperation({ summary: 'Replace the item’s monthly plan { months: [ { month, planned (cumulative %), milestone } ] }' })
  setPlan(@Param('id') id: string, @Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.reports.setPlan(id, body, actor);
  }

  @Post('monthly-reports')
  @Roles('admin', 'editor')
  @SheetUpload('Import the sheet 月次報告 (管理番号, 月, 進捗率, コメント, 計画進捗率, マイルストーン): all rows or nothing')
  import(@Query() query: MonthlyReportsQueryDto, @UploadedSheet() upload: UploadedSheetFile, @CurrentActor() actor: Actor): Promise<MonthlyReportsImportResult> {
    return this.reports.importFile({ ...upload, program: query.program ?? 'reform', actor });
  }
}
