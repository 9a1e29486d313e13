import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { parseAsOf } from '../common/query-params';
import { OrganizationService } from './organization.service';

export class DivisionContactsDto {
  // Element rules (the address form) are checked by parseContactEmails, with a message naming the value.
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(320, { each: true })
  emails!: string[];
}

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

  @Put('divisions/:code/contacts')
  @Roles('admin')
  setContacts(@Param('code') code: string, @Body() body: DivisionContactsDto, @CurrentActor() actor: Actor) {
    return this.organization.setContacts(code, body.emails, actor);
  }
}
