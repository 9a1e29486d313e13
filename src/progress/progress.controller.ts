import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { parseAsOf, parseDateParameter, parsePositiveInt } from '../common/query-params';
import { defaultSeriesFrom } from './progress-series';
import { MAX_OVERDUE_LIMIT, ProgressService } from './progress.service';
import { parseProgram } from '../programs/program-definitions';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1')
export class ProgressController {
  constructor(
    private readonly progress: ProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('progress')
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or 和暦; default today' })
  get(@Query('asOf') asOf?: string) {
    return this.progress.progress(asOf ? parseAsOf(asOf) : this.clock.today());
  }

  @Get('progress/series')
  @ApiQuery({ name: 'target', required: true, description: 'target id, e.g. seal-abolition' })
  @ApiQuery({ name: 'from', required: false, description: 'YYYY-MM-DD or 和暦; default 23 months before `to` (24 monthly points)' })
  @ApiQuery({ name: 'to', required: false, description: 'YYYY-MM-DD or 和暦; default today. At most 60 months from `from`' })
  series(@Query('target') target?: string, @Query('from') from?: string, @Query('to') to?: string) {
    if (!target) throw new DomainError('missing_parameter', '目標（target）を指定してください（例: target=seal-abolition）');
    const end = to ? parseDateParameter(to, '終了日（to）') : this.clock.today();
    const start = from ? parseDateParameter(from, '開始日（from）') : defaultSeriesFrom(end);
    return this.progress.series(target, start, end);
  }

  @Get('progress/overdue')
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or 和暦; default today' })
  @ApiQuery({ name: 'program', required: false, description: 'online / seal / analog' })
  @ApiQuery({ name: 'department', required: false, description: 'department code or name (placement on the as-of date)' })
  @ApiQuery({ name: 'division', required: false, description: 'division code or name' })
  @ApiQuery({ name: 'limit', required: false, description: `items returned (default 200, at most ${MAX_OVERDUE_LIMIT}); total counts all` })
  overdue(
    @Query('asOf') asOf?: string,
    @Query('program') program?: string,
    @Query('department') department?: string,
    @Query('division') division?: string,
    @Query('limit') limit?: string,
  ) {
    return this.progress.overdue(asOf ? parseAsOf(asOf) : this.clock.today(), {
      program: program ? parseProgram(program) : undefined,
      department: department || undefined,
      division: division || undefined,
      limit: parsePositiveInt(limit, 'limit', 200, MAX_OVERDUE_LIMIT),
    });
  }
}
