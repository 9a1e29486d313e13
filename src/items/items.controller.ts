import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { ParseIdPipe } from '../common/input-guards';
import { parsePositiveInt } from '../common/query-params';
import { BulkChangeService } from './bulk-change.service';
import { ConfirmationsService } from './confirmations.service';
import { BulkChangeDto } from './dto/bulk-change.dto';
import { ConfirmItemsDto, ReturnItemDto, ReturnItemsDto } from './dto/confirmation.dto';
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
    private readonly confirmations: ConfirmationsService,
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
      reported: query.reported === 'true' || query.reported === '1',
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

  @Post('items/confirm')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm reported completions (報告済 → 確認済): ids, or every reported item of a filtered list; all or nothing' })
  async confirmMany(@Body() body: ConfirmItemsDto, @CurrentActor() actor: Actor) {
    const ids = await this.targetIds(body);
    // a filtered list with nothing reported: nothing to do (explicit ids must name something)
    if (!ids.length && !body.ids) return { action: 'confirmed', count: 0, items: [] };
    return this.confirmations.confirm(ids, actor);
  }

  @Post('items/return')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Return reported completions with a reason (差戻し): each goes back to the state it was reported from' })
  async returnMany(@Body() body: ReturnItemsDto, @CurrentActor() actor: Actor) {
    const ids = await this.targetIds(body);
    if (!ids.length && !body.ids && body.reason?.trim()) return { action: 'returned', count: 0, items: [] };
    return this.confirmations.returnItems(ids, body.reason, actor);
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

  @Post('items/:id/confirm')
  @Roles('admin')
  @HttpCode(200)
  async confirm(@Param('id', ParseIdPipe) id: number, @CurrentActor() actor: Actor) {
    await this.confirmations.confirm([id], actor);
    return this.items.get(id);
  }

  @Post('items/:id/return')
  @Roles('admin')
  @HttpCode(200)
  async returnOne(@Param('id', ParseIdPipe) id: number, @Body() body: ReturnItemDto, @CurrentActor() actor: Actor) {
    await this.confirmations.returnItems([id], body.reason, actor);
    return this.items.get(id);
  }

  @Get('items/:id/history')
  history(@Param('id', ParseIdPipe) id: number) {
    return this.items.historyOf(id);
  }

  /** `ids`, or the reported items of a program's list with the list's filters. */
  private async targetIds(body: ConfirmItemsDto): Promise<number[]> {
    if (body.ids && body.program) throw new DomainError('ids_or_program', 'ids と program（一覧の条件）はどちらか一方を指定してください');
    if (body.ids) return body.ids;
    if (!body.program) throw new DomainError('ids_required', '対象の項目（ids）か、一覧の条件（program と division・department・q）を指定してください');
    return this.items.reportedIds(parseProgram(body.program), { status: body.status, division: body.division, department: body.department, q: body.q, nationalGroup: body.nationalGroup });
  }
}
