import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { User } from '../auth/user.entity';
import { Item } from '../items/item.entity';
import { ItemsModule } from '../items/items.module';
import { Division } from '../organization/division.entity';
import { OrganizationModule } from '../organization/organization.module';
import { SheetUploadModule } from '../sheet-import/sheet-upload';
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
    SheetUploadModule,
  ],
  controllers: [ImportsController, DivisionSheetsController],
  providers: [ImportsService, DivisionSheetsService],
  exports: [ImportsService],
})
export class ImportsModule {}
