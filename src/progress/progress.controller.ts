import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import { Clock, CLOCK } from '../common/clock';
import { parseAsOf } from '../common/query-params';
import { ProgressService } from './progress.service';
import { TargetsService } from './targets.service';

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
}
