import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tmpdir } from 'node:os';
import { AuditModule } from '../audit/audit.module';
import { User } from '../auth/user.entity';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Item } from '../items/item.entity';
import { ItemsModule } from '../items/items.module';
import { Division } from '../organization/division.entity';
import { OrganizationModule } from '../organization/organization.module';
import { DivisionSheetsController } from './division-sheets.controller';
import { DivisionSheetsService } from './division-sheets.service';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Item, Division, User]),
    OrganizationModule,
    ItemsModule,
    AuditModule,
    // Uploads go to disk, never to memory: a 50 MB workbook is streamed from its temp file.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        dest: tmpdir(),
        limits: { fileSize: config.uploadLimitBytes, files: 1 },
        // Japanese file names arrive as UTF-8 (busboy's default would read them as latin1).
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [ImportsController, DivisionSheetsController],
  providers: [ImportsService, DivisionSheetsService],
  exports: [ImportsService],
})
export class ImportsModule {}
