import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Clock, CLOCK } from '../common/clock';
import { parseAsOf } from '../common/query-params';
import { ReformService } from './reform.service';

@ApiTags('reform')
@ApiBearerAuth()
@Controller('api/v1/reform')
export class ReformController {
  constructor(
    private readonly reform: ReformService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Progress of the reform policy: overall, per area (5) and per initiative (30), as of a date' })
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD, 和暦 or a fiscal term (令和8年度第2四半期); default today' })
  progress(@Query('asOf') asOf?: string) {
    return this.reform.progress(asOf ? parseAsOf(asOf) : this.clock.today());
  }
}
