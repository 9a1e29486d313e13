import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { SheetUploadModule } from '../sheet-import/sheet-upload';
import { Item } from '../items/item.entity';
import { Division } from '../organization/division.entity';
import { ChannelVolume } from './channel-volume.entity';
import { VolumesController } from './volumes.controller';
import { VolumesService } from './volumes.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ChannelVolume, Item, Division]),
    AuditModule,
    SheetUploadModule,
  ],
  controllers: [VolumesController],
  providers: [VolumesService],
  exports: [VolumesService],
})
export class VolumesModule {}
