import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth.decorators';
import { Clock, CLOCK } from '../common/clock';
import { parseAsOf } from '../common/query-params';
import { HANDOUT_CSS } from './handout-css';
import { renderHandout } from './handout-html';
import { ProgressReportService } from './progress-report.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('report')
export class ProgressReportController {
  constructor(
    private readonly reports: ProgressReportService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The printable progress report (進捗報告): procedure targets, the policy’s 30 initiatives, departments; two A4 pages' })
  @ApiProduces('text/html')
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD, 和暦 or 令和8年度末; default today' })
  @ApiQuery({ name: 'department', required: false, description: 'one department (name or code): its initiatives and divisions' })
  async page(@Res({ passthrough: true }) response: Response, @Query('asOf') asOf?: string, @Query('department') department?: string): Promise<string> {
    const data = await this.reports.data(asOf ? parseAsOf(asOf) : this.clock.today(), department || undefined);
    const html = renderHandout(data, { css: 'link' });
    response.type('html');
    response.setHeader('Cache-Control', 'no-store');
    return html;
  }

  // The style sheet holds nothing of the city's: it needs no sign-in.
  @Get('report.css')
  @Public()
  @ApiOperation({ summary: 'Style sheet of the printable report' })
  styles(@Res({ passthrough: true }) response: Response): string {
    response.type('css');
    return HANDOUT_CSS;
  }
}
