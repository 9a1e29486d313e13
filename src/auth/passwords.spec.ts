import * as path from 'node:path';
import { generateTemporaryPassword, hashPassword, loadCommonPasswords, passwordProblem, verifyPassword } from './passwords';
import { migrationLogins } from '../database/migrations/1765200000000-SignIn';
import { loginKey, validateNewLogin } from './login-id';

describe('passwords', () => {
  const common = loadCommonPasswords(path.join(__dirname, 'common-passwords.txt'));

  it('should ship a list of a few thousand common passwords, comments left out', () => {
    expect(common.size).toBeGreaterThan(10_000);
    expect(common.has('password')).toBe(true);
    expect(common.has('1qaz2wsx3edc')).toBe(true);
    expect([...common].some((entry) => entry.startsWith('#'))).toBe(false);
  });

  it('should refuse short, common, padded-common, repeated and login-containing passwords', () => {
    expect(passwordProblem('short-one', common)?.message).toContain('12文字以上');
    expect(passwordProblem('qwertyuiopasdfgh'.slice(0, 12), common)).toBeNull();
    expect(passwordProblem('1qaz2wsx3edc', common)?.code).toBe('weak_password');
    expect(passwordProblem('Password1234!', common)?.code).toBe('weak_password');
    expect(passwordProblem('aaaaaaaaaaaaaa', common)?.code).toBe('weak_password');
    expect(passwordProblem('yamada-no-heya-123', common, 'Yamada')?.message).toContain('ログインID');
    expect(passwordProblem('kamome-no-sora-2026', common, 'yamada')).toBeNull();
    // 12 characters are counted as characters, not bytes: Japanese passphrases are fine
    expect(passwordProblem('うみのみえるまちのとしょかん', common)).toBeNull();
  });

  it('should hash with scrypt, keep the parameters with the hash, and verify', async () => {
    const hash = await hashPassword('kamome-no-sora-2026', { N: 1024, r: 8, p: 1 });
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('kamome-no-sora-2026', hash)).toBe(true);
    expect(await verifyPassword('kamome-no-sora-2027', hash)).toBe(false);
    expect(await verifyPassword('kamome-no-sora-2026', 'md5$abc')).toBe(false);
    expect(await hashPassword('kamome-no-sora-2026', { N: 1024, r: 8, p: 1 })).not.toBe(hash);
  });

  it('should make 16-character temporary passwords without look-alike characters', () => {
    const made = new Set(Array.from({ length: 50 }, generateTemporaryPassword));
    expect(made.size).toBe(50);
    for (const value of made) expect(value).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
  });
});

describe('login IDs', () => {
  it('should compare after NFKC and case folding, and accept only simple IDs', () => {
    expect(loginKey(' ＹＡＭＡＤＡ ')).toBe('yamada');
    expect(validateNewLogin('Ｋａｎａ.Ｙ')).toBe('Kana.Y');
    expect(() => validateNewLogin('山田')).toThrow(/使えません/);
    expect(() => validateNewLogin('a')).toThrow();
  });

  it('should derive IDs for existing users (the migration) from names, user<id> when taken or not an ID', () => {
    const users = [
      { id: 3, name: 'ADMIN' },
      { id: 1, name: 'admin' },
      { id: 2, name: '山田' },
    ];
    expect([...migrationLogins(users)]).toEqual([
      [1, 'admin'],
      [2, 'user2'],
      [3, 'user3'],
    ]);
  });
});
