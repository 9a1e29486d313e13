import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './support/server-process';
import { startTestApp } from './support/test-app';

// The server as deploy/procedure-tracker.service runs it: built once with tsc (here into a
// private folder beside dist/, so a running dist/ is never rebuilt under anyone), started with the
// unit's command line and environment, stopped with SIGTERM while a request is still arriving.

const root = path.resolve(__dirname, '..');

interface Unit {
  exec: string[];
  env: Record<string, string>;
  timeoutStopSec: number;
}

function readUnit(file: string): Unit {
  const lines = fs.readFileSync(path.join(root, 'deploy', file), 'utf8').split('\n');
  const value = (key: string) => lines.filter((line) => line.startsWith(`${key}=`)).map((line) => line.slice(key.length + 1));
  const env: Record<string, string> = {};
  for (const assignment of value('Environment')) {
    const equals = assignment.indexOf('=');
    env[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return { exec: value('ExecStart')[0].split(/\s+/), env, timeoutStopSec: Number(value('TimeoutStopSec')[0] ?? 90) };
}

interface Started {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(test: (line: string) => boolean): Promise<string>;
}

function start(command: string[], env: Record<string, string>): Started {
  const child = spawn(command[0], command.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const take = (stream: NodeJS.ReadableStream) => {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      buffer += text;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.trim()) continue;
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.test(line)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      }
    });
  };
  take(child.stdout!);
  take(child.stderr!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    waitFor: (test) => {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve });
        void exited.then(() => reject(new Error(`the server exited before the expected line; output:\n${lines.join('\n')}`)));
      });
    },
  };
}

describe('the server under its systemd unit (without systemd)', () => {
  const built = path.join(root, `.dist-test-${process.pid}`);
  let dir: string;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-server-'));
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', built], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build failed: ${result.stdout}${result.stderr}`);
  }, 240_000);
  afterAll(async () => {
    fs.rmSync(built, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    await cleanup();
  });

  it('should run `node dist/main.js`, log one JSON object per line, and on SIGTERM finish the request in flight, close the database and exit 0', async () => {
    const unit = readUnit('procedure-tracker.service');
    expect(unit.exec.slice(1)).toEqual(['dist/main.js']);
    expect(unit.env).toMatchObject({ NODE_ENV: 'production', LOG_FORMAT: 'json' });
    // systemd waits longer than the server's own bound before it would SIGKILL
    expect(unit.timeoutStopSec * 1000).toBeGreaterThan(20_000);

    const port = await freePort();
    // A database with an admin token, made beforehand (as an operator does with the CLI), so the
    // server prints no first-start credentials.
    const prepared = await startTestApp('sqlite');
    const token = prepared.adminToken;
    const database = (prepared.database.settings as { path: string }).path;
    await prepared.app.close();
    cleanup = () => prepared.database.drop();
    const server = start([process.execPath, path.join(built, 'main.js')], {
      PATH: process.env.PATH ?? '',
      ...unit.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      TRUST_PROXY: 'loopback',
      DATABASE_URL: `sqlite:${database}`,
      SHUTDOWN_GRACE_SECONDS: '60',
    });
    try {
      await server.waitFor((line) => line.includes('serving on'));

      // A request whose body is still on its way when SIGTERM arrives.
      const body = JSON.stringify({ code: 'SIG-1', name: '停止中に届いた項目', division: '市民課', status: '押印必要' });
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/programs/seal/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (response) => {
            let text = '';
            response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode!, body: text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        // the rest only after the server has begun to stop
        void server.waitFor((line) => line.includes('SIGTERM')).then(() => req.end(body.slice(10)));
      });
      answer.catch(() => undefined); // awaited below; a reset must fail the test there, not crash Jest
      // The signal only once the server holds the request: a request that reads its body first
      // (here: the health check on the same server) cannot overtake it on one event loop.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await fetch(`http://127.0.0.1:${port}/health`);
      server.child.kill('SIGTERM');
      await server.waitFor((line) => line.includes('SIGTERM'));
      // no new connections once stopping
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');

      const answered = await answer;
      expect(answered.status).toBe(201);
      expect(JSON.parse(answered.body)).toMatchObject({ code: 'SIG-1' });
      const exit = await server.exited;
      expect(exit).toEqual({ code: 0, signal: null });

      // every line is one JSON object: Nest's start-up lines, the request log, the shutdown
      const parsed = server.lines.map((line) => JSON.parse(line) as { level: string; context?: string; message: unknown });
      expect(parsed.length).toBeGreaterThan(5);
      const requestLog = parsed.find((entry) => entry.context === 'HTTP' && (entry.message as { method?: string }).method === 'POST');
      expect(requestLog?.message).toMatchObject({ method: 'POST', url: '/api/v1/programs/seal/items', status: 201, user: 'test-admin' });
      expect(JSON.stringify(requestLog)).not.toContain(token);
      expect(parsed.filter((entry) => entry.context === 'Shutdown').map((entry) => entry.message)).toEqual([expect.stringMatching(/^SIGTERM: no new connections/), 'stopped']);

      // the database was closed: SQLite folds the WAL back into the file and removes it on the last close
      expect(fs.existsSync(`${database}-wal`)).toBe(false);
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(database, { readonly: true });
      try {
        expect(db.prepare("SELECT count(*) AS n FROM items WHERE code = 'SIG-1'").get()).toEqual({ n: 1 });
      } finally {
        db.close();
      }
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);
});
