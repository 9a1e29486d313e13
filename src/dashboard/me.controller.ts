import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CurrentActor } from '../auth/auth.decorators';
import { Actor } from '../common/actor';
import { Department } from '../organization/department.entity';
import { sessionView } from './session-view';

// Who the token belongs to: the dashboard shows the name and decides which edit controls to offer
// (the API still checks every change itself).
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  @Get()
  async me(@CurrentActor() actor: Actor) {
    const department = actor.departmentId === null ? null : await this.departments.findOne({ where: { id: actor.departmentId } });
    return sessionView(actor, department);
  }
}
