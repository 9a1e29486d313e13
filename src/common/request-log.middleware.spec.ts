import express from 'express';
import request from 'supertest';
import { formatRequestLog, redactUrl, requestIdFrom, requestLogMiddleware } from './request-log.middleware';

describe('request log', () => {
  it('should keep plain paths and queries, and mask token-like values', () => {
    expect(redactUrl('/api/v1/programs/seal/items?status=abolished&page=2')).toBe('/api/v1/programs/seal/items?status=abolished&page=2');
    expect(redactUrl('/api/v1/x?token=abc&access_token=def&apiKey=1&q=%E5%B8%82')).toBe(
      '/api/v1/x?token=[redacted]&access_token=[redacted]&apiKey=[redacted]&q=%E5%B8%82',
    );
    expect(redactUrl('/api/v1/x?q=pdt_AAAABBBB')).toBe('/api/v1/x?q=[redacted]');
    expect(redactUrl(`/api/v1/x?sig=${'a'.repeat(40)}`)).toBe('/api/v1/x?sig=[redacted]');
    expect(redactUrl(`/api/v1/x?v=${'Ab9_'.repeat(10)}`)).toBe('/api/v1/x?v=[redacted]');
    expect(redactUrl('/api/v1/pdt_secretToken123/items')).toBe('/api/v1/[redacted]/items');
    expect(redactUrl('/api/v1/x?%E0=%')).toBe('/api/v1/x?%E0=%');
  });

  it('should not let control characters forge a second log line', () => {
    expect(formatRequestLog({ requestId: 'r1', method: 'GET', url: '/a', status: 200, ms: 3, user: '山田\nGET /admin 200' })).toBe(
      'GET /a 200 3ms user=山田?GET /admin 200 id=r1',
    );
    expect(formatRequestLog({ requestId: 'r2', method: 'POST', url: '/b', status: 401, ms: 0, user: null })).toBe('POST /b 401 0ms user=- id=r2');
  });

  it('should accept a plain incoming request id and replace anything else', () => {
    expect(requestIdFrom('abc-123.x', () => 'new')).toBe('abc-123.x');
    expect(requestIdFrom(['first', 'second'], () => 'new')).toBe('first');
    expect(requestIdFrom(undefined, () => 'new')).toBe('new');
    expect(requestIdFrom('has space', () => 'new')).toBe('new');
    expect(requestIdFrom('x'.repeat(200), () => 'new')).toBe('new');
  });

  it('should log one line per request with status and user, never the Authorization header', async () => {
    const lines: string[] = [];
    const app = express();
    app.use(requestLogMiddleware({ write: (line) => lines.push(line) }));
    app.use((req, _res, next) => {
      (req as unknown as { actor: { name: string } }).actor = { name: '山田' };
      next();
    });
    app.get('/things', (_req, res) => {
      res.status(201).json({ ok: true });
    });
    const response = await request(app)
      .get('/things?token=pdt_zzz&page=1')
      .set('Authorization', 'Bearer pdt_supersecretvalue')
      .set('X-Request-Id', 'req-42')
      .expect(201);
    expect(response.headers['x-request-id']).toBe('req-42');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/things\?token=\[redacted\]&page=1 201 \d+ms user=山田 id=req-42$/);
    expect(lines[0]).not.toContain('pdt_');
    expect(lines[0]).not.toContain('Bearer');
  });

  it('should set a fresh request id for each request when logging is off', async () => {
    const app = express();
    app.use(requestLogMiddleware({}));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    const first = await request(app).get('/').expect(200);
    const second = await request(app).get('/').expect(200);
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });
});
