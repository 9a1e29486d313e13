import { Controller, HttpCode, Inject, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { parseAsOf } from '../common/query-params';
import { clientGone, WorkBudget } from '../common/work-budget';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { ImportQueryDto, queryFlag } from './dto/import-query.dto';
import { parseMappingParameter } from './header-mapping';
import { ImportResult } from './import.types';
import { ImportsService } from './imports.service';
import { parseProgram } from '../programs/program-definitions';

/** The part of multer's file record the handler uses (disk storage). */
interface UploadedSheet {
  path: string;
  originalname: string;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':program')
  @Roles('admin', 'editor')
  @HttpCode(200)
  // Disk storage in the temp directory and the size limit come from ImportsModule's MulterModule.
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Import a sheet (xlsx or CSV) into a program: all rows or nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 200, description: 'Applied, or a dry run without errors' })
  @ApiResponse({ status: 422, description: 'Row errors (the result object, applied: false) or a sheet that cannot be read' })
  @ApiResponse({ status: 413, description: 'Upload larger than UPLOAD_LIMIT_MB' })
  async import(
    @Param('program') program: string,
    @Query() query: ImportQueryDto,
    @UploadedFile() file: UploadedSheet | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportResult> {
    try {
      if (!file) throw new DomainError('file_required', 'ファイルを multipart の file 欄で送ってください');
      const result = await this.imports.importFile({
        program: parseProgram(program),
        path: file.path,
        fileName: file.originalname,
        actor,
        dryRun: queryFlag(query.dryRun),
        withPlan: queryFlag(query.plan),
        sheetName: query.sheet,
        survey: query.survey,
        surveyDivision: query.division,
        asOf: query.asOf ? parseAsOf(query.asOf) : undefined,
        headerMapping: parseMappingParameter(query.mapping),
        assignCodes: queryFlag(query.assignCodes),
        budget: new WorkBudget(this.config.importTimeLimitMs, clientGone(response)),
      });
      // The body is the result either way; 422 tells a script that nothing was written.
      if (result.summary.errors > 0) response.status(422);
      return result;
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }
}
