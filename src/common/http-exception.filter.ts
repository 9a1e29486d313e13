import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { drainRequest, hasUnreadBody } from './drain-request';

// One error body everywhere (CONTRACT.md): { statusCode, code, message } (+ details), never a stack.
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    if (response.headersSent) return;
    const request = host.switchToHttp().getRequest<Request>();
    // A refusal before the body was read (403 before an upload, 413 past the limit) waits for the
    // rest of the body, so the client hears the answer instead of a broken connection.
    if (request && hasUnreadBody(request)) {
      void drainRequest(request).then((drained) => {
        if (response.headersSent) return;
        if (!drained) response.setHeader('Connection', 'close');
        response.status(body.statusCode).json(body);
      });
      return;
    }
    response.status(body.statusCode).json(body);
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

const codeByStatus: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

const messageByStatus: Record<number, string> = {
  400: 'リクエストが正しくありません',
  401: '認証が必要です（トークンが無いか無効です）',
  403: 'この操作の権限がありません',
  404: '見つかりません',
  413: 'アップロードされたデータが大きすぎます',
  429: 'リクエストが多すぎます。しばらくしてから再試行してください',
};

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    const body: ErrorBody = { statusCode: exception.status, code: exception.code, message: exception.message };
    if (exception.details) body.details = exception.details;
    return body;
  }
  if (exception instanceof HttpException) {
    // A DomainError thrown inside Express middleware (the JSON depth check) arrives wrapped.
    if (exception.cause instanceof DomainError) return toErrorBody(exception.cause);
    const status = exception.getStatus();
    // Express's body parser: invalid JSON arrives as a 400 caused by a SyntaxError
    if (status === 400 && exception.cause instanceof SyntaxError) {
      return { statusCode: 400, code: 'malformed_json', message: 'JSON の形式が正しくありません' };
    }
    const raw = exception.getResponse();
    const rawObject = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    // body-parser errors (malformed JSON, too large) reach us as HttpExceptions too
    const code = typeof rawObject.code === 'string' ? rawObject.code : codeByStatus[status] ?? `http_${status}`;
    let message = messageByStatus[status] ?? exception.message;
    if (typeof rawObject.messageJa === 'string') message = rawObject.messageJa;
    const body: ErrorBody = { statusCode: status, code, message };
    if (Array.isArray(rawObject.message)) body.details = rawObject.message;
    if (rawObject.details) body.details = rawObject.details;
    return body;
  }
  const status = (exception as { status?: number; statusCode?: number })?.status;
  const type = (exception as { type?: string })?.type;
  if (type === 'entity.too.large' || status === 413) {
    return { statusCode: 413, code: 'payload_too_large', message: messageByStatus[413] };
  }
  if (type === 'entity.parse.failed') {
    return { statusCode: 400, code: 'malformed_json', message: 'JSON の形式が正しくありません' };
  }
  if (isDiskFull(exception)) {
    return { statusCode: 507, code: 'disk_full', message: 'サーバーのディスクがいっぱいのため保存できませんでした（何も書き込んでいません）。管理者に連絡してください' };
  }
  return { statusCode: 500, code: 'internal_error', message: 'サーバー内部でエラーが発生しました' };
}

// ENOSPC (a temp file, an upload, the SQLite journal), SQLITE_FULL, and PostgreSQL's disk_full
// (53100), directly or wrapped by TypeORM (driverError) or as an Error's cause.
const DISK_FULL_CODES = new Set(['ENOSPC', 'SQLITE_FULL', '53100', 'EDQUOT']);

export function isDiskFull(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const { code, driverError, cause } = error as { code?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof code === 'string' && DISK_FULL_CODES.has(code)) return true;
  return isDiskFull(driverError, depth + 1) || isDiskFull(cause, depth + 1);
}
