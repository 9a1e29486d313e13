import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainRequest, hasUnreadBody } from './drain-request';

// A server that refuses before reading the body, with or without draining first; the client
// sends a body much larger than the socket buffers, as a refused upload does.
async function refuse(options: { drain: boolean; limitBytes?: number }, body: Buffer): Promise<{ status?: number; error?: string; drained?: boolean; unreadBefore?: boolean }> {
  let drained: boolean | undefined;
  let unreadBefore: boolean | undefined;
  const server = http.createServer((request, response) => {
    unreadBefore = hasUnreadBody(request);
    const answer = (): void => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end('{"code":"forbidden"}');
    };
    if (!options.drain) return answer();
    void drainRequest(request, { limitBytes: options.limitBytes }).then((result) => {
      drained = result;
      if (!result) response.setHeader('Connection', 'close');
      answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve) => {
      const request = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'content-length': body.length } }, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode, drained, unreadBefore }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, drained, unreadBefore }));
      // Written in pieces, as a browser uploads; the refusal may land between them.
      let offset = 0;
      const writeMore = (): void => {
        while (offset < body.length) {
          const piece = body.subarray(offset, offset + 64 * 1024);
          offset += piece.length;
          if (!request.write(piece)) return void request.once('drain', writeMore);
        }
        request.end();
      };
      writeMore();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('draining a refused request body', () => {
  const body = Buffer.alloc(24 * 1024 * 1024, 0x61);

  it('should let the client read the refusal of a large body after the rest is read and thrown away', async () => {
    const result = await refuse({ drain: true }, body);
    expect(result).toEqual({ status: 403, drained: true, unreadBefore: true });
  });

  it('should not wait for a body declared larger than the bound', async () => {
    const result = await refuse({ drain: true, limitBytes: 1024 * 1024 }, body);
    expect(result.drained).toBe(false);
    expect(result.unreadBefore).toBe(true);
  });

  it('should see no unread body on a request without one', () => {
    const request = { complete: false, readableEnded: false, destroyed: false, headers: {} } as unknown as http.IncomingMessage;
    expect(hasUnreadBody(request)).toBe(false);
    expect(hasUnreadBody({ ...request, headers: { 'content-length': '0' } } as unknown as http.IncomingMessage)).toBe(false);
    expect(hasUnreadBody({ ...request, headers: { 'content-length': '10' } } as unknown as http.IncomingMessage)).toBe(true);
    expect(hasUnreadBody({ ...request, complete: true, headers: { 'content-length': '10' } } as unknown as http.IncomingMessage)).toBe(false);
  });
});
