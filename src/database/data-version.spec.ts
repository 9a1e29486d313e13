import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { DataVersion, VersionedMemo } from './data-version';

describe('VersionedMemo', () => {
  it('should reuse a value while the version holds and recompute when it moves', async () => {
    const memo = new VersionedMemo<number>();
    let computed = 0;
    const compute = async () => ++computed;
    expect(await memo.get('a', 'v1', compute)).toBe(1);
    expect(await memo.get('a', 'v1', compute)).toBe(1);
    expect(await memo.get('a', 'v2', compute)).toBe(2);
    expect(await memo.get('b', 'v2', compute)).toBe(3);
  });

  it('should never memoize without a version', async () => {
    const memo = new VersionedMemo<number>();
    let computed = 0;
    await memo.get('a', null, async () => ++computed);
    await memo.get('a', null, async () => ++computed);
    expect(computed).toBe(2);
  });

  it('should forget the oldest key beyond its capacity', async () => {
    const memo = new VersionedMemo<string>(2);
    let computed = 0;
    const compute = async () => `value ${++computed}`;
    await memo.get('a', 'v', compute);
    await memo.get('b', 'v', compute);
    await memo.get('c', 'v', compute);
    expect(await memo.get('a', 'v', compute)).toBe('value 4');
    expect(await memo.get('c', 'v', compute)).toBe('value 3');
  });
});

describe('DataVersion on SQLite', () => {
  let dir: string;
  let dataSource: DataSource;
  let version: DataVersion;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-version-'));
    dataSource = new DataSource(buildDataSourceOptions({ type: 'sqlite', path: path.join(dir, 'db.sqlite') }));
    await dataSource.initialize();
    await dataSource.runMigrations();
    version = new DataVersion(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('should move on a write through the app connection', async () => {
    const before = await version.current();
    await dataSource.query(`INSERT INTO departments (code, name) VALUES ('X1', 'テスト部')`);
    expect(await version.current()).not.toBe(before);
  });

  it('should move when another process commits', async () => {
    const before = await version.current();
    const other = new Database(path.join(dir, 'db.sqlite'));
    other.prepare(`INSERT INTO departments (code, name) VALUES ('X2', '別プロセス部')`).run();
    other.close();
    expect(await version.current()).not.toBe(before);
  });

  it('should stay put when nothing changed, and be null inside a transaction', async () => {
    const before = await version.current();
    await dataSource.query('SELECT COUNT(*) FROM departments');
    expect(await version.current()).toBe(before);
    await dataSource.transaction(async () => {
      expect(await version.current()).toBeNull();
    });
  });
});
