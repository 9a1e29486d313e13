import { runCli } from '../../src/cli';
import { DatabaseSettings } from '../../src/config/app-config';

/** DATABASE_URL for the CLI: the same SQLite file, or the test's private PostgreSQL schema. */
export function cliDatabaseUrl(settings: DatabaseSettings): string {
  if (settings.type === 'sqlite') return `sqlite:${settings.path}`;
  const separator = settings.url.includes('?') ? '&' : '?';
  return `${settings.url}${separator}options=${encodeURIComponent(`-c search_path=${settings.schema}`)}`;
}

/** Runs the CLI in this process against the test's database; stdout and stderr are collected together. */
export async function runCliOn(settings: DatabaseSettings, args: string[], stdin?: string): Promise<{ code: number; out: string }> {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = cliDatabaseUrl(settings);
  const out: string[] = [];
  try {
    const code = await runCli(args, {
      out: (text) => out.push(text),
      err: (text) => out.push(text),
      ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
    });
    return { code, out: out.join('\n') };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}
