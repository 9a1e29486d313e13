import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { parseProgram } from '../programs/program-definitions';
import { attachmentDisposition } from '../common/download-header';
import { DivisionSheetsService, SheetDownload } from './division-sheets.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The sheets a division fills in and uploads again: empty, or prefilled with its own items.
@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/programs/:program')
export class DivisionSheetsController {
  constructor(private readonly sheets: DivisionSheetsService) {}

  @Get('template.xlsx')
  @ApiOperation({ summary: 'The empty import sheet (drop-down lists for 所管課, 状況 and every choice column)' })
  @ApiProduces(XLSX)
  async template(@Param('program') program: string, @Res() response: Response) {
    send(response, await this.sheets.template(parseProgram(program)));
  }

  @Get('sheet.xlsx')
  @ApiOperation({ summary: "A division's own sheet: the import template prefilled with its items; imports back unchanged" })
  @ApiQuery({ name: 'division', required: true, description: 'division code or name; editors: a division of their own department' })
  @ApiProduces(XLSX)
  async divisionSheet(@Param('program') program: string, @Query('division') division: string | undefined, @CurrentActor() actor: Actor, @Res() response: Response) {
    send(response, await this.sheets.divisionSheet(parseProgram(program), division, actor));
  }
}

function send(response: Response, sheet: SheetDownload): void {
  response.status(200);
  response.setHeader('Content-Type', XLSX);
  response.setHeader('Content-Disposition', attachmentDisposition(sheet.fileName, sheet.asciiName));
  response.setHeader('Cache-Control', 'no-store');
  response.end(sheet.buffer);
}
