import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import { ParseIdPipe } from '../common/input-guards';
import { parsePositiveInt } from '../common/query-params';
import { BulkChangeService } from './bulk-change.service';
import { BulkChangeDto } from './dto/bulk-change.dto';
import { CreateItemDto, ItemListQueryDto, UpdateItemDto } from './dto/item-body.dto';
import { checkItemBody } from './item-body';
import { ItemsService } from './items.service';
import { parseProgram } from '../programs/program-definitions';

@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1')
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly bulkChanges: BulkChangeService,
  ) {}

  @Get('programs/:program/items')
  list(@Param('program') program: string, @Query() query: ItemListQueryDto) {
    return this.items.list(parseProgram(program), {
      status: query.status,
      division: query.division,
      department: query.department,
      nationalGroup: query.nationalGroup,
      q: query.q,
      page: parsePositiveInt(query.page, 'page', 1),
      pageSize: parsePositiveInt(query.pageSize, 'pageSize', 50, 500),
    });
  }

  @Post('programs/:program/items')
  @Roles('admin', 'editor')
  @ApiBody({ type: CreateItemDto })
  create(@Param('program') program: string, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.items.create(parseProgram(program), checkItemBody(body, { update: false }), actor);
  }

  @Post('programs/:program/items/bulk')
  @Roles('admin', 'editor')
  @HttpCode(200)
  @ApiOperation({ summary: 'One state, completion date and note for many items: all in one transaction, or nothing (422 with every item refused)' })
  bulk(@Param('program') program: string, @Body() body: BulkChangeDto, @CurrentActor() actor: Actor) {
    return this.bulkChanges.change(parseProgram(program), { ...body, filter: body.filter ? { ...body.filter } : undefined }, actor);
  }

  @Get('items/:id')
  get(@Param('id', ParseIdPipe) id: number) {
    return this.items.get(id);
  }

  @Patch('items/:id')
  @Roles('admin', 'editor')
  @ApiBody({ type: UpdateItemDto })
  update(@Param('id', ParseIdPipe) id: number, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    return this.items.update(id, checkItemBody(body, { update: true }), actor);
  }

  @Get('items/:id/history')
  history(@Param('id', ParseIdPipe) id: number) {
    return this.items.historyOf(id);
  }
}
