import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

// One line per request: request id, method, path, status, duration, user name. Never the
// Authorization header, never a token: query values that look like secrets are masked, and a
// token pasted into a path (pdt_…) is masked too.

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's X-Request-Id is kept when it is a short plain identifier, so ids join across proxies. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SECRET_PARAM = /token|secret|passw(or)?d|pwd|api[-_]?key|auth|credential|signature|session|bearer/i;
const TOKEN_LIKE = /pdt_[A-Za-z0-9_-]+/g;
// A long opaque value in a query string is more likely a credential than anything we take.
const OPAQUE_VALUE = /^[A-Za-z0-9+/_=-]{32,}$/;
const REDACTED = '[redacted]';

export function requestIdFrom(header: string | string[] | undefined, generate: () => string = randomUUID): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTED_REQUEST_ID.test(value) ? value : generate();
}

/** Control characters would let a crafted path or user name forge log lines. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}

export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = (queryAt < 0 ? url : url.slice(0, queryAt)).replace(TOKEN_LIKE, REDACTED);
  if (queryAt < 0) return printable(path);
  const parts = url
    .slice(queryAt + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      const key = equals < 0 ? part : part.slice(0, equals);
      if (equals < 0) return key.replace(TOKEN_LIKE, REDACTED);
      const raw = part.slice(equals + 1);
      let value = raw;
      try {
        value = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the raw text
      }
      const secret = SECRET_PARAM.test(key) || OPAQUE_VALUE.test(value) || /pdt_/.test(value);
      return `${key.replace(TOKEN_LIKE, REDACTED)}=${secret ? REDACTED : raw}`;
    });
  return printable(parts.length ? `${path}?${parts.join('&')}` : path);
}

export interface RequestLogEntry {
  requestId: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  user: string | null;
}

export function formatRequestLog(entry: RequestLogEntry): string {
  const user = entry.user === null ? '-' : printable(entry.user);
  return `${entry.method} ${entry.url} ${entry.status} ${entry.ms}ms user=${user} id=${entry.requestId}`;
}

export interface RequestLogOptions {
  /** Where the lines go; without it the request id is still set and echoed, nothing is written. */
  write?: (line: string, entry: RequestLogEntry) => void;
}

/** The application logger, context HTTP: the text line, or (LOG_FORMAT=json) the entry's fields. */
export function loggerWriter(format: 'text' | 'json' = 'text'): (line: string, entry: RequestLogEntry) => void {
  const logger = new Logger('HTTP');
  return format === 'json' ? (_line, entry) => logger.log({ ...entry, user: entry.user === null ? null : printable(entry.user) }) : (line) => logger.log(line);
}

type TrackedRequest = Request & { actor?: { name?: string }; requestId?: string };

export function requestLogMiddleware({ write }: RequestLogOptions) {
  return (request: TrackedRequest, response: Response, next: NextFunction): void => {
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    request.requestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    if (write) {
      // A duration, not a date: the monotonic clock is the right tool and no logic depends on it.
      const started = process.hrtime.bigint();
      let written = false;
      const done = () => {
        if (written) return;
        written = true;
        const entry: RequestLogEntry = {
          requestId,
          method: request.method,
          url: redactUrl(request.originalUrl ?? request.url),
          // a client that hangs up before the answer is logged with 499, as nginx does
          status: response.writableFinished ? response.statusCode : 499,
          ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
          user: request.actor?.name ?? null,
        };
        write(formatRequestLog(entry), entry);
      };
      response.on('finish', done);
      response.on('close', done);
    }
    next();
  };
}
