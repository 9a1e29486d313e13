import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProgramsController } from './programs.controller';
import { ProgramsService } from './programs.service';

@Module({ imports: [AuditModule], controllers: [ProgramsController], providers: [ProgramsService], exports: [ProgramsService] })
export class ProgramsModule {}
