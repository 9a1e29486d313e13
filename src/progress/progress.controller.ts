import { Body, Controller, Delete, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { parseAsOf, parseDateParameter, parsePositiveInt } from '../common/query-params';
import { defaultSeriesFrom } from './progress-series';
import { MAX_OVERDUE_LIMIT, ProgressService } from './progress.service';
import { TargetsService } from './targets.service';
import { parseProgram } from '../programs/program-definitions';

@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1')
export class ProgressController {
  constructor(
    private readonly progress: ProgressService,
    private readonly targets: TargetsService,
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

  @Get('targets')
  list() {
    return this.targets.list().then((targets) => ({ targets }));
  }

  @Get('targets/:id')
  one(@Param('id') id: string) {
    return this.targets.get(id);
  }

  @Post('targets')
  @Roles('admin')
  @ApiBody({
    schema: {
      example: { id: 'seal-fy2026', program: 'seal', label: '押印廃止（令和8年度分）', deadline: '2027-03-31', scope: { department: '福祉こども部' } },
    },
  })
  create(@Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.targets.create(body, actor);
  }

  @Put('targets/:id')
  @Roles('admin')
  @ApiBody({ schema: { example: { label: '押印廃止（令和8年度分）', deadline: '令和8年度末', scope: { department: '福祉こども部' } } } })
  update(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.targets.update(id, body, actor);
  }

  @Delete('targets/:id')
  @Roles('admin')
  remove(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.targets.remove(id, actor);
  }
}

