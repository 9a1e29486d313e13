import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OrganizationModule } from '../organization/organization.module';
import { AuthController } from './auth.controller';
import { AuthFailure } from './auth-failure.entity';
import { AuthGuard } from './auth.guard';
import { FailedLoginLimiter } from './failed-login-limiter';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Session, AuthFailure]), OrganizationModule, AuditModule],
  controllers: [AuthController, UsersController],
  providers: [UsersService, SessionsService, SignInService, FailedLoginLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersService, SessionsService],
})
export class AuthModule {}
