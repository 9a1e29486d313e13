import { applyDecorators, CallHandler, createParamDecorator, ExecutionContext, HttpCode, Inject, Injectable, Module, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, MulterModule } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { DomainError } from '../common/domain-error';
import { clientGone, WorkBudget } from '../common/work-budget';
import { AppConfig, APP_CONFIG } from '../config/app-config';

// Every sheet upload (items, monthly plans, channel volumes, monthly reports) is received the same
// way: multipart field `file` to a temp file on disk (never memory), UPLOAD_LIMIT_MB (over it:
// 413), no file: 400 file_required, `dryRun` and `sheet` from the query, a work budget that stops
// the import when the client goes away or IMPORT_TIME_LIMIT_SECONDS pass, 422 when the result has
// row errors, and the temp file removed afterwards whatever happened.

const BOOLEAN_TEXT = ['true', 'false', '1', '0'];

export function queryFlag(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** The query every sheet upload takes; an endpoint's own query DTO extends it. */
export class SheetUploadQuery {
  @ApiPropertyOptional({ description: 'true: validate and report without writing', enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(BOOLEAN_TEXT)
  dryRun?: string;

  @ApiPropertyOptional({ description: 'xlsx: the sheet to read (default: the one named for what is imported, else the first)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  sheet?: string;
}

/** An upload as the import services take it. */
export interface UploadedSheetFile {
  /** The temp file (removed once the request is answered). */
  path: string;
  /** The name the user knows the file by, for the audit log. */
  fileName: string;
  dryRun: boolean;
  sheetName?: string;
  budget: WorkBudget;
}

/** Multer's options for sheet uploads; a module with sheet upload endpoints imports this. */
@Module({
  imports: [
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
  exports: [MulterModule],
})
export class SheetUploadModule {}

interface MulterFile {
  path: string;
  originalname: string;
}

const uploads = new WeakMap<Request, UploadedSheetFile>();

function hasRowErrors(result: unknown): boolean {
  const summary = (result as { summary?: { errors?: unknown } } | null)?.summary;
  return typeof summary?.errors === 'number' && summary.errors > 0;
}

/** Runs after multer: the upload for @UploadedSheet(), 422 on row errors, the temp file removed. */
@Injectable()
export class SheetUploadHandler implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return defer(() => this.handle(http.getRequest<Request & { file?: MulterFile }>(), http.getResponse<Response>(), next));
  }

  private async handle(request: Request & { file?: MulterFile }, response: Response, next: CallHandler): Promise<unknown> {
    const file = request.file;
    try {
      if (!file) throw new DomainError('file_required', 'ファイルを multipart の file 欄で送ってください');
      const query = request.query as Record<string, unknown>;
      uploads.set(request, {
        path: file.path,
        fileName: file.originalname,
        dryRun: queryFlag(typeof query.dryRun === 'string' ? query.dryRun : undefined),
        sheetName: typeof query.sheet === 'string' ? query.sheet : undefined,
        budget: new WorkBudget(this.config.importTimeLimitMs, clientGone(response)),
      });
      const result = await lastValueFrom(next.handle());
      // The body is the result either way; 422 tells a script that nothing was written.
      if (hasRowErrors(result)) response.status(422);
      return result;
    } finally {
      if (file?.path) await rm(file.path, { force: true });
    }
  }
}

/** The upload of a route marked @SheetUpload(). */
export const UploadedSheet = createParamDecorator((_data: unknown, context: ExecutionContext): UploadedSheetFile => {
  const upload = uploads.get(context.switchToHttp().getRequest<Request>());
  if (!upload) throw new Error('@UploadedSheet() needs @SheetUpload() on its route');
  return upload;
});

/** A sheet upload endpoint: POST, 200 with the import result (422 with row errors), multipart `file`. */
export function SheetUpload(summary: string) {
  return applyDecorators(
    HttpCode(200),
    // multer first (to disk; over the limit: 413), then the handler
    UseInterceptors(FileInterceptor('file'), SheetUploadHandler),
    ApiOperation({ summary }),
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } }),
    ApiResponse({ status: 200, description: 'Applied, or a dry run without errors' }),
    ApiResponse({ status: 422, description: 'Row errors (the result object, applied: false) or a sheet that cannot be read' }),
    ApiResponse({ status: 413, description: 'Upload larger than UPLOAD_LIMIT_MB' }),
  );
}
