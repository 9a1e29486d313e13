import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { parseAsOf, parseDateParameter } from '../common/query-params';
import { ComplianceQueryDto, ItemExportQueryDto } from './dto/export-query.dto';
import { attachmentDisposition } from '../common/download-header';
import { CONTENT_TYPES, ExportFormat, PreparedExport, ReportsService } from './reports.service';
import { ExportAborted } from '../sheets/back-pressure';
import { parseProgram } from '../programs/program-definitions';

const parsePeriodDate = parseDateParameter;

// Downloads. Every check (filters, access) runs before the first byte, so a refusal is an
// ordinary JSON error; once the file has started, a failure can only cut the download short.
@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsController {
  private readonly logger = new Logger('ReportsController');

  constructor(private readonly reports: ReportsService) {}

  @Get('programs/:program/items.csv')
  @ApiOperation({ summary: "A program's items in the import layout: CSV, UTF-8 with BOM, CRLF" })
  @ApiProduces(CONTENT_TYPES.csv)
  itemsCsv(@Param('program') program: string, @Query() query: ItemExportQueryDto, @CurrentActor() actor: Actor, @Res() response: Response) {
    return this.items('csv', program, query, actor, response);
  }

  @Get('programs/:program/items.xlsx')
  @ApiOperation({ summary: "A program's items in the import layout: xlsx (one sheet named after the program)" })
  @ApiProduces(CONTENT_TYPES.xlsx)
  itemsXlsx(@Param('program') program: string, @Query() query: ItemExportQueryDto, @CurrentActor() actor: Actor, @Res() response: Response) {
    return this.items('xlsx', program, query, actor, response);
  }

  @Get('reports/compliance.xlsx')
  @ApiOperation({ summary: 'The compliance workbook: 概要, 部局別, one sheet per program, 期限超過, 変更履歴' })
  @ApiProduces(CONTENT_TYPES.xlsx)
  async compliance(@Query() query: ComplianceQueryDto, @CurrentActor() actor: Actor, @Res() response: Response) {
    const prepared = await this.reports.prepareCompliance(
      {
        asOf: query.asOf ? parseAsOf(query.asOf) : undefined,
        department: query.department,
        from: query.from ? parsePeriodDate(query.from, '開始日（from）') : undefined,
        to: query.to ? parsePeriodDate(query.to, '終了日（to）') : undefined,
      },
      actor,
    );
    await this.send(prepared, response);
  }

  private async items(format: ExportFormat, program: string, query: ItemExportQueryDto, actor: Actor, response: Response): Promise<void> {
    const prepared = await this.reports.prepareItems(
      {
        program: parseProgram(program),
        format,
        asOf: query.asOf ? parseAsOf(query.asOf) : undefined,
        department: query.department,
        division: query.division,
        status: query.status,
        nationalGroup: query.nationalGroup,
        q: query.q,
      },
      actor,
    );
    await this.send(prepared, response);
  }

  private async send(prepared: PreparedExport, response: Response): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', prepared.contentType);
    response.setHeader('Content-Disposition', attachmentDisposition(prepared.fileName, prepared.asciiName));
    response.setHeader('Cache-Control', 'no-store');
    try {
      await prepared.write(response);
    } catch (error) {
      if (!response.headersSent) throw error;
      // Too late for an error body: cut the download so the client sees it incomplete.
      if (!(error instanceof ExportAborted)) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      response.destroy();
    }
  }
}
