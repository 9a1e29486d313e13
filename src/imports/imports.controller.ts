import { Controller, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { parseAsOf } from '../common/query-params';
import { parseProgram } from '../programs/program-definitions';
import { queryFlag, SheetUpload, UploadedSheet, UploadedSheetFile } from '../sheet-import/sheet-upload';
import { ImportQueryDto } from './dto/import-query.dto';
import { parseMappingParameter } from './header-mapping';
import { ImportResult } from './import.types';
import { ImportsService } from './imports.service';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post(':program')
  @Roles('admin', 'editor')
  @SheetUpload('Import a sheet (xlsx or CSV) into a program: all rows or nothing')
  import(@Param('program') program: string, @Query() query: ImportQueryDto, @UploadedSheet() upload: UploadedSheetFile, @CurrentActor() actor: Actor): Promise<ImportResult> {
    return this.imports.importFile({
      ...upload,
      program: parseProgram(program),
      actor,
      withPlan: queryFlag(query.plan),
      survey: query.survey,
      surveyDivision: query.division,
      asOf: query.asOf ? parseAsOf(query.asOf) : undefined,
      headerMapping: parseMappingParameter(query.mapping),
      assignCodes: queryFlag(query.assignCodes),
    });
  }
}
