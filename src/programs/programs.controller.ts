import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { parseProgram } from '../common/query-params';
import { getProgram } from './program-definitions';
import { programViews, toProgramView } from './program-view';

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api/v1/programs')
export class ProgramsController {
  @Get()
  list() {
    return { programs: programViews() };
  }

  @Get(':program')
  one(@Param('program') program: string) {
    return toProgramView(getProgram(parseProgram(program)));
  }
}
