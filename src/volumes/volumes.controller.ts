import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { SheetUpload, SheetUploadQuery, UploadedSheet, UploadedSheetFile } from '../sheet-import/sheet-upload';
import { VolumeImportResult, VolumesService } from './volumes.service';

/** Query of POST /api/v1/volumes: dryRun, and sheet (xlsx: default 件数, else the first). */
export class VolumesQueryDto extends SheetUploadQuery {}

@ApiTags('volumes')
@ApiBearerAuth()
@Controller('api/v1')
export class VolumesController {
  constructor(private readonly volumes: VolumesService) {}

  @Post('volumes')
  @Roles('admin', 'editor')
  @SheetUpload('Import channel volumes (sheet 件数: 管理番号, 月, オンライン件数, 窓口件数): all rows or nothing')
  import(@Query() _query: VolumesQueryDto, @UploadedSheet() upload: UploadedSheetFile, @CurrentActor() actor: Actor): Promise<VolumeImportResult> {
    return this.volumes.importFile({ ...upload, actor });
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
