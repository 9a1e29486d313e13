import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

// The CLI in a child process, run from the TypeScript sources through swc (see swc-register.js).

const root = path.resolve(__dirname, '..', '..');

export interface CliProcess {
  child: ChildProcess;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, ['-r', path.join(root, 'test', 'support', 'swc-register.js'), path.join(root, 'src', 'cli.ts'), ...args], {
    cwd: root,
    // Only what the CLI needs: no TEST_DATABASE_URL or other settings leak in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TRACKER_TIME_ZONE: 'Asia/Tokyo', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

export async function runCliProcess(args: string[], env: Record<string, string>) {
  return spawnCli(args, env).exited;
}
