import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { TargetsService } from './targets.service';

// Listed under 'progress' in the API explorer, where these routes have always been.
@ApiTags('progress')
@ApiBearerAuth()
@Controller('api/v1')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

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
