import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { UsersService } from './auth/users.service';
import { createHttpApp } from './bootstrap';
import { installGracefulShutdown } from './common/graceful-shutdown';
import { AppConfig, loadConfig } from './config/app-config';

// The server: `node dist/main.js` (what deploy/procedure-tracker.service runs). Built once with
// `npm run build`; this file never compiles anything.

function firstAdminNotice(config: AppConfig, name: string, token: string): string {
  // Printed once, on the very first start: only the hash is stored.
  if (config.logFormat === 'json') {
    return `${JSON.stringify({ level: 'log', pid: process.pid, context: 'Main', timestamp: Date.now(), message: 'first admin created (token shown once, keep it safe)', name, token })}\n`;
  }
  return `\n最初の管理者を作成しました / first admin created (shown once, keep it safe):\n  name: ${name}\n  token: ${token}\n\n`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp({ config, logger: ['error', 'warn', 'log'], shutdownHooks: false });
  const logger = new Logger('Main');
  const admin = await app.get(UsersService).ensureFirstAdmin();
  if (admin) process.stdout.write(firstAdminNotice(config, admin.name, admin.token));
  await app.listen(config.port, config.host);
  installGracefulShutdown(app, { graceMs: config.shutdownGraceMs, logger: new Logger('Shutdown') });
  const where = config.database.type === 'sqlite' ? config.database.path : 'PostgreSQL';
  logger.log(`procedure-dx-tracker serving on http://localhost:${config.port} (database: ${where})`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const json = (process.env.LOG_FORMAT ?? '').trim().toLowerCase() === 'json';
  process.stderr.write(
    json ? `${JSON.stringify({ level: 'error', pid: process.pid, context: 'Main', message: `failed to start: ${message}` })}\n` : `起動できませんでした / failed to start: ${message}\n`,
  );
  process.exit(1);
});
