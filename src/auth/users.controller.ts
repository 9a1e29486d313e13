import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { ParseIdPipe } from '../common/input-guards';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { CreateUserDto, UpdateUserDto } from './dto/auth-body.dto';
import { UsersService } from './users.service';

const selfDisable = () => new DomainError('cannot_disable_self', '自分自身を無効にすることはできません', 409);

// User administration for admins (the page's 利用者管理; the CLI's `user …`). Temporary passwords
// and tokens are in the answer once and never again.
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async list() {
    return { users: await this.users.list() };
  }

  /** A new user with a temporary password, shown once in the answer. */
  @Post()
  async create(@Body() body: CreateUserDto, @CurrentActor() actor: Actor) {
    return this.users.create({ name: body.name, login: body.login, role: body.role, department: body.department ?? null }, actor);
  }

  @Patch(':id')
  async update(@Param('id', ParseIdPipe) id: number, @Body() body: UpdateUserDto, @CurrentActor() actor: Actor) {
    await this.users.update(await this.users.byId(id), { role: body.role, department: body.department }, actor);
    return (await this.users.list()).find((user) => user.id === id);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  async resetPassword(@Param('id', ParseIdPipe) id: number, @CurrentActor() actor: Actor) {
    const user = await this.users.byId(id);
    return { id, login: user.login, temporaryPassword: await this.users.resetPassword(user, actor) };
  }

  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Param('id', ParseIdPipe) id: number, @CurrentActor() actor: Actor) {
    const user = await this.users.byId(id);
    if (actor.userId === id) throw selfDisable();
    await this.users.disable(user, actor);
    return { id, login: user.login, disabled: true };
  }

  @Post(':id/token')
  @HttpCode(200)
  async token(@Param('id', ParseIdPipe) id: number, @CurrentActor() actor: Actor) {
    const issued = await this.users.issueToken(await this.users.byId(id), actor);
    return { id, ...issued };
  }
}
