import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { DomainError } from '../common/domain-error';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { PlanImportResult, PlansService } from './plans.service';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/targets')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get(':id/plan')
  get(@Param('id') id: string) {
    return this.plans.get(id);
  }

  @Put(':id/plan')
  @Roles('admin')
  @ApiBody({
    description: '月別業務計画: months replace the whole plan ([] removes it). month: 2026-04, 2026/4, 令和8年4月 or R8.4; planned: integer ≥ 0',
    schema: { example: { months: [{ month: '2026-04', planned: 40 }, { month: '令和8年5月', planned: 35 }] } },
  })
  set(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.plans.set(id, body, actor);
  }

  @Post(':id/plan/sheet')
  @Roles('admin')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: check and count, change nothing' })
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  async importSheet(
    @Param('id') id: string,
    @Query('dryRun') dryRun: string | undefined,
    @UploadedFile() file: { path: string; originalname: string } | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PlanImportResult> {
    try {
      if (!file) throw new DomainError('file_required', 'ファイルを multipart の file 欄で送ってください');
      const result = await this.plans.importSheet(id, file.path, { actor, dryRun: dryRun === 'true' || dryRun === '1', fileName: file.originalname });
      // as the item import: the body is the result either way, 422 says nothing was written
      if (result.summary.errors > 0) response.status(422);
      return result;
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }
}
