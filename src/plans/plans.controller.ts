import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { SheetUpload, SheetUploadQuery, UploadedSheet, UploadedSheetFile } from '../sheet-import/sheet-upload';
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
  @SheetUpload("Replace a target's monthly plan with a sheet of 月 and 計画件数: all rows or nothing")
  importSheet(@Param('id') id: string, @Query() _query: SheetUploadQuery, @UploadedSheet() upload: UploadedSheetFile, @CurrentActor() actor: Actor): Promise<PlanImportResult> {
    return this.plans.importSheet(id, upload.path, { ...upload, actor });
  }
}
