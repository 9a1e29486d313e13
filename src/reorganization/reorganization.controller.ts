import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { parseDryRun } from '../common/query-params';
import { ReorganizationService } from './reorganization.service';

// The April 2026 保健福祉部 split, as in the README.
const EXAMPLE = {
  effectiveOn: '2026-04-01',
  note: '保健福祉部を福祉こども部と保険健康部に再編',
  newDepartments: [
    { code: 'D04', name: '福祉こども部' },
    { code: 'D05', name: '保険健康部' },
  ],
  newDivisions: [],
  moves: [
    { division: '子育て支援課', toDepartment: '福祉こども部' },
    { division: '社会福祉課', toDepartment: '福祉こども部' },
    { division: '保険年金課', toDepartment: '保険健康部' },
    { division: '市民健康課', toDepartment: '保険健康部' },
    { division: '高齢・介護福祉課', toDepartment: '保険健康部' },
  ],
  merges: [],
  closeDepartments: ['保健福祉部'],
};

@ApiTags('organization')
@ApiBearerAuth()
@Controller('api/v1/reorganizations')
export class ReorganizationController {
  constructor(private readonly reorganizations: ReorganizationService) {}

  @Post()
  @Roles('admin')
  @HttpCode(200)
  @ApiQuery({ name: 'dryRun', required: false, description: 'true: validate and report the summary, change nothing' })
  @ApiBody({
    description:
      'The reorganization document (CONTRACT.md "Reorganization"), all-or-nothing. moves[].rename renames (alone: a rename in place); ' +
      'newDivisions: [{ code, name, department }]; merges: [{ division, into }] moves the items into the surviving division. ' +
      'A refused document: 400 invalid_reorganization with details [{ entry, code, message, value }].',
    schema: { type: 'object', example: EXAMPLE },
  })
  apply(@Body() body: Record<string, unknown>, @Query('dryRun') dryRun: string | undefined, @CurrentActor() actor: Actor) {
    return this.reorganizations.apply(body, actor, { dryRun: parseDryRun(dryRun) });
  }
}
