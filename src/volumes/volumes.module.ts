import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tmpdir } from 'node:os';
import { AuditModule } from '../audit/audit.module';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Item } from '../items/item.entity';
import { Division } from '../organization/division.entity';
import { ChannelVolume } from './channel-volume.entity';
import { VolumesController } from './volumes.controller';
import { VolumesService } from './volumes.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ChannelVolume, Item, Division]),
    AuditModule,
    // The same upload rules as the item import: to a temp file on disk, UPLOAD_LIMIT_MB, UTF-8 names.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ dest: tmpdir(), limits: { fileSize: config.uploadLimitBytes, files: 1 }, defParamCharset: 'utf8' }),
    }),
  ],
  controllers: [VolumesController],
  providers: [VolumesService],
  exports: [VolumesService],
})
export class VolumesModule {}
