import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreatedUser } from './users.service';

export interface FirstAdminOutput {
  /** Whether standard output is a terminal (a person reads it, no log collector keeps it). */
  isTTY: boolean;
  write: (text: string) => void;
  log: (text: string) => void;
  /** Where the password goes when standard output is not a terminal. */
  file: string;
}

/**
 * Hands over the first administrator's temporary password once: on a terminal it is printed; else
 * (a service manager, a container log) it is written to a file only its owner can read, and only
 * that file's path is logged, so the password never lands in a log.
 */
export function announceFirstAdmin(admin: CreatedUser, output: FirstAdminOutput): void {
  const text = [
    '最初の管理者を作成しました / first administrator created',
    `  ログインID / login: ${admin.login}`,
    `  仮パスワード / temporary password: ${admin.temporaryPassword}`,
    '  最初のログインで新しいパスワードに変更してください / change it at the first sign-in.',
  ].join('\n');
  if (output.isTTY) {
    output.write(`\n${text}\n\n`);
    return;
  }
  fs.mkdirSync(path.dirname(output.file), { recursive: true });
  fs.rmSync(output.file, { force: true });
  fs.writeFileSync(output.file, `${text}\n`, { mode: 0o600, flag: 'wx' });
  fs.chmodSync(output.file, 0o600);
  output.log(`最初の管理者（ログインID ${admin.login}）を作成しました。仮パスワードは ${output.file} にあります（所有者のみ読めます。ログイン後に削除してください）`);
}
