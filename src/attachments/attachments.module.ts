import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AttachmentStore } from './attachment-store';
import { Attachment } from './attachment.entity';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Attachment]),
    AuditModule,
    // Uploads go to a temporary file in ATTACHMENTS_DIR/.uploads (same file system as the store, so
    // a checked file is renamed into place, not copied); a refused one is removed.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        dest: new AttachmentStore(config.attachmentsDir).uploadDir,
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
