import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tmpdir } from 'node:os';
import { AuditModule } from '../audit/audit.module';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Attachment } from './attachment.entity';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Attachment]),
    AuditModule,
    // Uploads go to a temporary file first; only checked bytes reach ATTACHMENTS_DIR.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        dest: tmpdir(),
        limits: { fileSize: config.attachmentLimitBytes, files: 1 },
        // Japanese file names arrive as UTF-8 (busboy's default would read them as latin1).
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [AttachmentsService],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
