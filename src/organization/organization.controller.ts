import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseAsOf } from '../common/query-params';
import { OrganizationService } from './organization.service';

@ApiTags('organization')
@ApiBearerAuth()
@Controller('api/v1/organization')
export class OrganizationController {
  constructor(private readonly organization: OrganizationService) {}

  @Get()
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD (or 和暦): the organization in force that day' })
  get(@Query('asOf') asOf?: string) {
    return this.organization.organization(asOf ? parseAsOf(asOf) : null);
  }
}
