import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { queryFlag } from '../imports/dto/import-query.dto';
import { MonthlyReportsImportResult, MonthlyReportsService } from './monthly-reports.service';

export class MonthlyReportsQueryDto {
  @ApiPropertyOptional({ description: 'the program whose 管理番号 the sheet names (default reform)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  program?: string;

  @ApiPropertyOptional({ description: 'true: validate and report without writing', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  dryRun?: string;

  @ApiPropertyOptional({ description: 'xlsx: the sheet to read (default 月次報告, else the first)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sheet?: string;
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
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Import the sheet 月次報告 (管理番号, 月, 進捗率, コメント, 計画進捗率, マイルストーン): all rows or nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 422, description: 'Row errors (the result, applied: false) or a sheet that cannot be read' })
  async import(
    @Query() query: MonthlyReportsQueryDto,
    @UploadedFile() file: { path: string; originalname: string } | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MonthlyReportsImportResult> {
    try {
      if (!file) throw new DomainError('file_required', 'ファイルを multipart の file 欄で送ってください');
      const result = await this.reports.importFile({
        program: query.program ?? 'reform',
        path: file.path,
        fileName: file.originalname,
        actor,
        dryRun: queryFlag(query.dryRun),
        sheetName: query.sheet,
      });
      if (result.summary.errors > 0) response.status(422);
      return result;
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }
}
