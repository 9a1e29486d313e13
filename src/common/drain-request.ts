import type { IncomingMessage } from 'node:http';

// A refusal sent while the client is still sending its body (a 403 before an upload is read, a
// 413 after the first 50 MB) makes Node close the socket under the client, which then sees a
// broken connection (EPIPE / "network error" in the page) instead of our answer. So, like nginx's
// lingering close, read and discard the rest of a body of bounded size before answering; a body
// larger than the bound, or one that stalls, is answered at once with `Connection: close`.

/** The most we read and throw away to deliver a refusal (above the largest upload limit in use). */
export const DRAIN_LIMIT_BYTES = 256 * 1024 * 1024;
/** A client that stops sending does not hold the answer back for longer than this. */
export const DRAIN_TIME_LIMIT_MS = 30_000;

export interface DrainOptions {
  limitBytes?: number;
  timeLimitMs?: number;
}

/** True when the request still has body bytes on the wire that nobody has read. */
export function hasUnreadBody(request: IncomingMessage): boolean {
  if (request.complete || request.readableEnded || request.destroyed) return false;
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Reads and discards what is left of the request body, then resolves `true`; resolves `false`
 * (without waiting) when the body is declared larger than the bound, and `false` when the bound or
 * the time limit is reached while reading, so the caller answers with `Connection: close`.
 */
export function drainRequest(request: IncomingMessage, options: DrainOptions = {}): Promise<boolean> {
  const limit = options.limitBytes ?? DRAIN_LIMIT_BYTES;
  const timeLimit = options.timeLimitMs ?? DRAIN_TIME_LIMIT_MS;
  if (!hasUnreadBody(request)) return Promise.resolve(true);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (drained: boolean): void => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onEnd);
      request.off('close', onEnd);
      if (!drained) request.pause();
      resolve(drained);
    };
    const onData = (chunk: Buffer): void => {
      read += chunk.length;
      if (read > limit) finish(false);
    };
    const onEnd = (): void => finish(request.complete);
    const timer = setTimeout(() => finish(false), timeLimit);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onEnd);
    request.once('close', onEnd);
    // Another reader (multer's busboy) may have been unpiped mid-body: take over the stream.
    request.unpipe();
    request.resume();
  });
}
