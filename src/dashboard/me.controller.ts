import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AllowDuringPasswordChange, CurrentActor, CurrentSession, SessionContext } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { Department } from '../organization/department.entity';
import { sessionView } from './session-view';

// Who is signed in: the dashboard shows the name and decides which edit controls to offer (the
// API still checks every change itself). With the session cookie it also gives the CSRF token the
// page sends with every change (after a reload, the page has only the cookie) and whether the
// temporary password must be changed first.
@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  @Get()
  @AllowDuringPasswordChange()
  async me(@CurrentActor() actor: Actor, @CurrentSession() session: SessionContext | null) {
    const department = actor.departmentId === null ? null : await this.departments.findOne({ where: { id: actor.departmentId } });
    return {
      ...sessionView(actor, department),
      login: actor.login ?? null,
      csrfToken: session?.csrfToken ?? null,
      mustChangePassword: session?.mustChangePassword ?? false,
    };
  }
}
