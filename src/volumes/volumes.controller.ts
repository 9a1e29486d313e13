import { Controller, Get, HttpCode, Inject, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { clientGone, WorkBudget } from '../common/work-budget';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { queryFlag } from '../imports/dto/import-query.dto';
import { VolumeImportResult, VolumesService } from './volumes.service';

export class VolumesQueryDto {
  @ApiPropertyOptional({ description: 'true: validate and report without writing', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  dryRun?: string;

  @ApiPropertyOptional({ description: 'xlsx: the sheet to read (default 件数, else the first)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sheet?: string;
}

@ApiTags('volumes')
@ApiBearerAuth()
@Controller('api/v1')
export class VolumesController {
  constructor(
    private readonly volumes: VolumesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('volumes')
  @Roles('admin', 'editor')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Import channel volumes (sheet 件数: 管理番号, 月, オンライン件数, 窓口件数): all rows or nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 200, description: 'Applied, or a dry run without errors' })
  @ApiResponse({ status: 422, description: 'Row errors (the result object, applied: false) or a sheet that cannot be read' })
  async import(
    @Query() query: VolumesQueryDto,
    @UploadedFile() file: { path: string; originalname: string } | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<VolumeImportResult> {
    try {
      if (!file) throw new DomainError('file_required', 'ファイルを multipart の file 欄で送ってください');
      const budget = new WorkBudget(this.config.importTimeLimitMs, clientGone(response));
      const result = await this.volumes.importFile({ path: file.path, fileName: file.originalname, actor, dryRun: queryFlag(query.dryRun), sheetName: query.sheet, budget });
      // The body is the result either way; 422 tells a script that nothing was written (as the item import).
      if (result.summary.errors > 0) response.status(422);
      return result;
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }

  @Get('take-up')
  @ApiOperation({ summary: 'Digital take-up: online ÷ (online + offline) per procedure (worst first), per national group and in total' })
  @ApiQuery({ name: 'from', required: false, description: 'first month (2026-04, 令和8年4月, a date); default 11 months before `to`' })
  @ApiQuery({ name: 'to', required: false, description: 'last month; default the current month' })
  @ApiQuery({ name: 'nationalGroup', required: false, description: 'mynumber27 / priority24 / city (or マイナンバー27 …)' })
  @ApiQuery({ name: 'status', required: false, description: 'only procedures in this state now, e.g. online (オンライン化済)' })
  takeUp(@Query('from') from?: string, @Query('to') to?: string, @Query('nationalGroup') nationalGroup?: string, @Query('status') status?: string) {
    return this.volumes.takeUp({ from, to, nationalGroup, status });
  }
}
