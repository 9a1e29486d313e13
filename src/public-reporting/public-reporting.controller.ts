import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators';
import { parseAsOf } from '../common/query-params';
import { LICENSE, PUBLIC_CSS, PublicReport, renderPublicCsv, renderPublicHtml } from './public-report';
import { PublicReportingService } from './public-reporting.service';

const LICENSE_LINK = `<${LICENSE.url}>; rel="license"`;

// Public reporting (PUBLIC_REPORTING=on): read-only, no token, aggregates only. Off: 404.
// Headers are set only once the answer is ready, so a refusal keeps the JSON error body.
@ApiTags('public')
@Controller()
@Public()
export class PublicReportingController {
  constructor(private readonly reporting: PublicReportingService) {}

  @Get('public')
  @ApiOperation({ summary: 'Read-only Japanese page of the aggregates (PUBLIC_REPORTING=on; else 404)' })
  @ApiProduces('text/html')
  async page(@Res({ passthrough: true }) response: Response): Promise<string> {
    const html = renderPublicHtml(await this.reporting.report());
    response.type('html');
    return html;
  }

  @Get('public/public.css')
  @ApiOperation({ summary: 'Style sheet of the public page' })
  styles(@Res({ passthrough: true }) response: Response): string {
    this.reporting.ensureEnabled();
    response.type('css');
    return PUBLIC_CSS;
  }

  @Get('api/v1/public/progress.json')
  @ApiOperation({ summary: 'Open data (CC BY 4.0): targets, departments and take-up as JSON' })
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or 和暦; default today' })
  async json(@Res({ passthrough: true }) response: Response, @Query('asOf') asOf?: string): Promise<PublicReport> {
    this.reporting.ensureEnabled();
    const report = await this.reporting.report(asOf ? parseAsOf(asOf) : undefined);
    response.setHeader('Link', LICENSE_LINK);
    return report;
  }

  @Get('api/v1/public/progress.csv')
  @ApiOperation({ summary: 'Open data (CC BY 4.0) as CSV: UTF-8 with BOM, CRLF; the first line is a # licence comment' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or 和暦; default today' })
  async csv(@Res({ passthrough: true }) response: Response, @Query('asOf') asOf?: string): Promise<string> {
    this.reporting.ensureEnabled();
    const csv = renderPublicCsv(await this.reporting.report(asOf ? parseAsOf(asOf) : undefined));
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'inline; filename="progress.csv"');
    response.setHeader('Link', LICENSE_LINK);
    return csv;
  }
}
