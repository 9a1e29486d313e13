import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { parseAsOf } from '../common/query-params';
import { LICENSE, PUBLIC_CSS, PublicReport, renderPublicCsv, renderPublicHtml } from './public-report';
import { PublicReportingService } from './public-reporting.service';

const LICENSE_LINK = `<${LICENSE.url}>; rel="license"`;

// Public reporting (PUBLIC_REPORTING=on): read-only, no token, aggregates only. Off: 404.
@ApiTags('public')
@Controller()
@Public()
export class PublicReportingController {
  constructor(private readonly reporting: PublicReportingService) {}

  @Get('public')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Read-only Japanese page of the aggregates (PUBLIC_REPORTING=on; else 404)' })
  @ApiProduces('text/html')
  async page(): Promise<string> {
    return renderPublicHtml(await this.reporting.report());
  }

  @Get('public/public.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @ApiOperation({ summary: 'Style sheet of the public page' })
  styles(): string {
    this.reporting.ensureEnabled();
    return PUBLIC_CSS;
  }

  @Get('api/v1/public/progress.json')
  @Header('Link', LICENSE_LINK)
  @ApiOperation({ summary: 'Open data (CC BY 4.0): targets, departments and take-up as JSON' })
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or 和暦; default today' })
  json(@Query('asOf') asOf?: string): Promise<PublicReport> {
    this.reporting.ensureEnabled();
    return this.reporting.report(asOf ? parseAsOf(asOf) : undefined);
  }

  @Get('api/v1/public/progress.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'inline; filename="progress.csv"')
  @Header('Link', LICENSE_LINK)
  @ApiOperation({ summary: 'Open data (CC BY 4.0) as CSV: UTF-8 with BOM, CRLF; the first line is a # licence comment' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or 和暦; default today' })
  async csv(@Query('asOf') asOf?: string): Promise<string> {
    this.reporting.ensureEnabled();
    return renderPublicCsv(await this.reporting.report(asOf ? parseAsOf(asOf) : undefined));
  }
}
