import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { parseDryRun } from '../common/query-params';
import { getProgram, parseProgram } from './program-definitions';
import { programViews, toProgramView } from './program-view';
import { ProgramsService } from './programs.service';

const DOCUMENT_BODY = { description: 'the program document (CONTRACT.md "Programs as data")', schema: { type: 'object' } };

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api/v1/programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  @Get()
  list() {
    return { programs: programViews() };
  }

  @Get(':program')
  one(@Param('program') program: string) {
    return toProgramView(getProgram(parseProgram(program)));
  }

  @Get(':program/document')
  @Roles('admin')
  document(@Param('program') program: string) {
    return this.programs.document(program);
  }

  @Post()
  @Roles('admin')
  @ApiBody(DOCUMENT_BODY)
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: validate only, change nothing' })
  add(@Body() body: unknown, @CurrentActor() actor: Actor, @Query('dryRun') dryRun?: string) {
    return this.programs.add(body, actor, { dryRun: parseDryRun(dryRun) });
  }

  @Put(':program')
  @HttpCode(200)
  @Roles('admin')
  @ApiBody(DOCUMENT_BODY)
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: validate only, change nothing' })
  update(@Param('program') program: string, @Body() body: unknown, @CurrentActor() actor: Actor, @Query('dryRun') dryRun?: string) {
    return this.programs.update(program, body, actor, { dryRun: parseDryRun(dryRun) });
  }
}
