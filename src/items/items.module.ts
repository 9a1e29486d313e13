import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationModule } from '../organization/organization.module';
import { BulkChangeService } from './bulk-change.service';
import { Item } from './item.entity';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { StatusHistory } from './status-history.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Item, StatusHistory]), OrganizationModule],
  controllers: [ItemsController],
  providers: [ItemsService, BulkChangeService],
  exports: [ItemsService],
})
export class ItemsModule {}
