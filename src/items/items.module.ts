import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OrganizationModule } from '../organization/organization.module';
import { BulkChangeService } from './bulk-change.service';
import { ConfirmationsService } from './confirmations.service';
import { Item } from './item.entity';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { StatusHistory } from './status-history.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Item, StatusHistory]), OrganizationModule, AuditModule],
  controllers: [ItemsController],
  providers: [ItemsService, BulkChangeService, ConfirmationsService],
  exports: [ItemsService, ConfirmationsService],
})
export class ItemsModule {}
