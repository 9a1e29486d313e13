import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';

// SIGTERM (systemd stop, a deploy) ends the server without cutting anyone off: no new connections,
// the requests already running finish (at most `graceMs`, then their connections are cut), and
// only then the application closes (the database last, through Nest's shutdown hooks), exit 0.
// Nest's own signal handling re-raises the signal after closing, so the process would end by
// signal instead of exit 0, and it has no bound for a request that never finishes.

export interface GracefulShutdownOptions {
  graceMs: number;
  logger: LoggerService;
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): (signal: NodeJS.Signals) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn?.(`${signal}: already stopping`);
      return;
    }
    stopping = true;
    const server = app.getHttpServer() as Server;
    // Stop listening at once; the promise settles when the last open connection has ended.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    options.logger.log(`${signal}: no new connections; letting requests in flight finish (at most ${Math.round(options.graceMs / 1000)} s)`);
    // server.close() waits for every open connection; a keep-alive one that turns idle after its
    // last answer would hold it until the client hangs up, so idle ones are closed as they appear.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    let cut = false;
    const bound = setTimeout(() => {
      cut = true;
      options.logger.warn?.(`requests still running after ${Math.round(options.graceMs / 1000)} s: closing their connections`);
      server.closeAllConnections();
    }, options.graceMs);
    try {
      await drained;
      // Then the application: Nest's hooks, the database last.
      await app.close();
      options.logger.log(cut ? 'stopped (some requests were cut off)' : 'stopped');
      exit(cut ? 1 : 0);
    } catch (error) {
      options.logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`, undefined);
      exit(1);
    } finally {
      clearInterval(idle);
      clearTimeout(bound);
    }
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) process.on(signal, () => void stop(signal));
  return stop;
}
