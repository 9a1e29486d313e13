import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import * as path from 'node:path';
import { announceFirstAdmin } from './auth/first-admin';
import { UsersService } from './auth/users.service';
import { createHttpApp } from './bootstrap';
import { installGracefulShutdown } from './common/graceful-shutdown';
import { loadConfig } from './config/app-config';
import { ReminderScheduler } from './reminders/reminder-scheduler';

// The server: `node dist/main.js` (what deploy/procedure-tracker.service runs). Built once with
// `npm run build`; this file never compiles anything.

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp({ config, logger: ['error', 'warn', 'log'], shutdownHooks: false });
  const logger = new Logger('Main');
  const admin = await app.get(UsersService).ensureFirstAdmin();
  if (admin) {
    // Shown once, on the very first start: only the hash is stored.
    announceFirstAdmin(admin, {
      isTTY: Boolean(process.stdout.isTTY),
      write: (text) => process.stdout.write(text),
      log: (text) => logger.log(text),
      file: path.join(config.projectRoot, 'data', 'initial-admin-password.txt'),
    });
  }
  await app.listen(config.port, config.host);
  // Daily reminder mails (REMINDER_TIME); the server only, never a CLI process.
  app.get(ReminderScheduler).start();
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
