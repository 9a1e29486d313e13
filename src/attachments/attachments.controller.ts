import {
  ArgumentsHost,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  Inject,
  Param,
  PayloadTooLargeException,
  Post,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { CurrentActor, Roles } from '../common/auth.decorators';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { toErrorBody } from '../common/http-exception.filter';
import { ParseIdPipe } from '../common/input-guards';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { AttachmentsService, AttachmentView } from './attachments.service';
import { attachmentDisposition } from './content-disposition';

/** Multer's 413 becomes attachment_too_large, naming ATTACHMENT_LIMIT_MB. */
@Catch(PayloadTooLargeException)
export class AttachmentTooLargeFilter implements ExceptionFilter {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
    const limitMb = Math.round(this.config.attachmentLimitBytes / 1024 / 1024);
    const body = toErrorBody(
      new DomainError('attachment_too_large', `添付できるファイルは${limitMb} MB までです（ATTACHMENT_LIMIT_MB）`, 413, { limitMb }),
    );
    const response = host.switchToHttp().getResponse<Response>();
    if (!response.headersSent) response.status(413).json(body);
  }
}

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api/v1')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('items/:id/attachments')
  @Roles('admin', 'editor')
  // Disk storage in the temp directory and ATTACHMENT_LIMIT_MB come from AttachmentsModule's MulterModule.
  @UseInterceptors(FileInterceptor('file'))
  @UseFilters(AttachmentTooLargeFilter)
  @ApiOperation({ summary: 'Attach an evidence file (PDF, xlsx, docx, PNG, JPEG) to an item' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 201, description: 'Attached' })
  @ApiResponse({ status: 400, description: 'attachment_type_not_allowed, attachment_content_mismatch (bytes are not what the name says)' })
  @ApiResponse({ status: 413, description: 'attachment_too_large (over ATTACHMENT_LIMIT_MB)' })
  async attach(
    @Param('id', ParseIdPipe) id: number,
    @UploadedFile() file: { path: string; originalname: string } | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<AttachmentView> {
    try {
      if (!file) throw new DomainError('file_required', 'ファイルを multipart の file 欄で送ってください');
      return await this.attachments.attach(id, file, actor);
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }

  @Get('items/:id/attachments')
  @ApiOperation({ summary: "An item's evidence files" })
  list(@Param('id', ParseIdPipe) id: number) {
    return this.attachments.list(id);
  }

  @Get('attachments/:id')
  @ApiOperation({ summary: 'Download an evidence file under its original name' })
  async download(@Param('id', ParseIdPipe) id: number, @CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    const { attachment, file } = await this.attachments.open(id, actor);
    response.setHeader('Content-Type', attachment.contentType);
    response.setHeader('Content-Length', String(attachment.size));
    response.setHeader('Content-Disposition', attachmentDisposition(attachment.fileName));
    // Never rendered inline or sniffed into something else (an SVG or HTML in disguise).
    response.setHeader('X-Content-Type-Options', 'nosniff');
    await new Promise<void>((resolve, reject) => {
      response.sendFile(file, { dotfiles: 'deny', headers: {}, lastModified: false, cacheControl: false }, (error) => (error ? reject(error) : resolve()));
    });
  }
}
