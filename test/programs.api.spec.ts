import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseKinds, useTestApp } from './support/test-app';
import { FOLDERS } from './support/folders-program';
import { runCliOn } from './support/run-cli';

// Programs as data (CONTRACT.md): documents added and updated over the API and the CLI.

const sealDocument = () => JSON.parse(readFileSync(join(__dirname, '..', 'seeds', 'programs', 'seal.json'), 'utf8'));

describe.each(databaseKinds())('programs as data on %s', (kind) => {
  const t = useTestApp(kind);
  let dir: string;
  const admin = () => ({ Authorization: `Bearer ${t.adminToken}` });
  const storedPrograms = async () => (await t.app.get(DataSource).query('SELECT key FROM programs ORDER BY position')).map((row: { key: string }) => row.key);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'programs-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should store the built-in programs from seeds/programs on start', async () => {
    expect(await storedPrograms()).toEqual(['online', 'seal', 'analog', 'reform']);
    const document = await t.http().get('/api/v1/programs/seal/document').set(admin()).expect(200);
    expect(document.body).toEqual(sealDocument());
  });

  it('should refuse a broken document with every problem listed, and store nothing', async () => {
    const broken = {
      ...FOLDERS,
      key: 'Folders',
      initialState: 'waiting',
      doneStates: ['sorted', 'gone'],
      fields: [...FOLDERS.fields, { key: 'sizeGb', header: '管理番号', kind: 'number' }, { key: 'kind', header: '種別', kind: 'choice', choices: [] }],
    };
    const response = await t.http().post('/api/v1/programs').set(admin()).send(broken).expect(400);
    expect(response.body.code).toBe('invalid_program');
    expect(response.body.details.map((problem: { entry: string; code: string }) => `${problem.entry} ${problem.code}`)).toEqual([
      'key invalid_key',
      'initialState unknown_state',
      'doneStates[1] unknown_state',
      'fields[4].key duplicate_key',
      'fields[4].header duplicate_header',
      'fields[4].kind invalid_kind',
      'fields[5].choices missing_required',
    ]);
    expect(await storedPrograms()).toEqual(['online', 'seal', 'analog', 'reform']);
  });

  it('should let only an administrator add a program; a dry run changes nothing', async () => {
    const editor = await t.token('editor', '行政管理部');
    await t.http().post('/api/v1/programs').set({ Authorization: `Bearer ${editor}` }).send(FOLDERS).expect(403);
    const dry = await t.http().post('/api/v1/programs?dryRun=true').set(admin()).send(FOLDERS).expect(201);
    expect(dry.body).toMatchObject({ applied: false, dryRun: true, created: true, program: { key: 'folders', label: '共有フォルダ整理' } });
    await t.http().get('/api/v1/programs/folders').set(admin()).expect(404);

    const added = await t.http().post('/api/v1/programs').set(admin()).send(FOLDERS).expect(201);
    expect(added.body.applied).toBe(true);
    const view = await t.http().get('/api/v1/programs/folders').set(admin()).expect(200);
    expect(view.body.fields.map((field: { header: string }) => field.header).slice(7)).toEqual(['容量（GB）', '保存年限', '管理者', '確認日']);
    const list = await t.http().get('/api/v1/programs').set(admin()).expect(200);
    expect(list.body.programs.map((program: { key: string }) => program.key)).toEqual(['online', 'seal', 'analog', 'reform', 'folders']);
    const again = await t.http().post('/api/v1/programs').set(admin()).send(FOLDERS).expect(409);
    expect(again.body.code).toBe('program_exists');
    const sameLabel = await t.http().post('/api/v1/programs').set(admin()).send({ ...FOLDERS, key: 'folders2' }).expect(400);
    expect(sameLabel.body.details).toEqual([expect.objectContaining({ entry: 'label', code: 'duplicate_label' })]);
  });

  it('should refuse removing a used state or choice and changing a kind, listing each, changing nothing', async () => {
    await t.http().post('/api/v1/programs/seal/items').set(admin())
      .send({ code: 'PRG-1', name: '届出書', division: '総務課', status: 'reviewing', sealKind: 'registered' })
      .expect(201);
    const seal = sealDocument();
    const next = {
      ...seal,
      states: seal.states.filter((state: { key: string }) => state.key !== 'reviewing'),
      fields: seal.fields.map((field: { key: string; choices?: { key: string }[] }) =>
        field.key === 'sealKind'
          ? { ...field, choices: field.choices!.filter((choice) => choice.key !== 'registered') }
          : field.key === 'annualVolume' ? { ...field, kind: 'text' } : field),
    };
    const refused = await t.http().put('/api/v1/programs/seal').set(admin()).send(next).expect(400);
    expect(refused.body.code).toBe('invalid_program');
    expect(refused.body.details.map((problem: { entry: string; code: string }) => `${problem.entry} ${problem.code}`)).toEqual([
      'states[1] state_in_use',
      'fields[0].kind field_kind_changed',
      'fields[3].choices[0] choice_in_use',
    ]);
    const unchanged = await t.http().get('/api/v1/programs/seal/document').set(admin()).expect(200);
    expect(unchanged.body).toEqual(seal);
  });

  it('should accept added states, choices and new labels, and removing what no item uses', async () => {
    const seal = sealDocument();
    const next = {
      ...seal,
      label: '押印廃止',
      states: [...seal.states, { key: 'on_hold', label: '保留' }],
      fields: seal.fields.map((field: { key: string; choices?: { key: string; label: string }[] }) =>
        field.key === 'replacement' ? { ...field, choices: [...field.choices!.filter((choice) => choice.key !== 'other'), { key: 'electronic', label: '電子署名' }] } : field),
    };
    const updated = await t.http().put('/api/v1/programs/seal').set(admin()).send(next).expect(200);
    expect(updated.body).toMatchObject({ applied: true, created: false });
    const view = await t.http().get('/api/v1/programs/seal').set(admin()).expect(200);
    expect(view.body.states.map((state: { key: string }) => state.key)).toContain('on_hold');
    const item = await t.http().post('/api/v1/programs/seal/items').set(admin())
      .send({ code: 'PRG-2', name: '申請書', division: '総務課', status: '保留', replacement: '電子署名' })
      .expect(201);
    expect(item.body).toMatchObject({ status: 'on_hold', statusLabel: '保留', replacement: 'electronic' });
    const renamed = await t.http().put('/api/v1/programs/seal').set(admin()).send({ ...next, key: 'stamps' }).expect(400);
    expect(renamed.body.details).toEqual([expect.objectContaining({ entry: 'key', code: 'key_mismatch' })]);
  });

  it('should add, update and list programs from the command line, exiting 1 on refusal', async () => {
    const file = join(dir, 'boxes.json');
    const boxes = { ...FOLDERS, key: 'boxes', label: '文書箱', itemNoun: '箱', fields: [] };
    writeFileSync(file, JSON.stringify(boxes));
    const dry = await runCliOn(t.database.settings, ['program', 'add', file, '--dry-run', '--json']);
    expect(dry.out).not.toContain('エラー');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ applied: false, dryRun: true });
    expect(await storedPrograms()).not.toContain('boxes');
    const added = await runCliOn(t.database.settings, ['program', 'add', file]);
    expect(added.code).toBe(0);
    expect(added.out).toContain('取組「文書箱」（boxes）を追加しました');
    const list = await runCliOn(t.database.settings, ['program', 'list', '--json']);
    expect(JSON.parse(list.out).programs.map((program: { key: string; builtin: boolean }) => [program.key, program.builtin])).toEqual([
      ['online', true], ['seal', true], ['analog', true], ['reform', true], ['folders', false], ['boxes', false],
    ]);

    writeFileSync(file, JSON.stringify({ ...boxes, fields: [{ key: 'shelf', header: '棚', kind: 'text' }] }));
    expect((await runCliOn(t.database.settings, ['program', 'update', file])).code).toBe(0);
    writeFileSync(file, JSON.stringify({ ...boxes, states: [], fields: [{ key: 'shelf', header: '棚', kind: 'integer' }] }));
    const refused = await runCliOn(t.database.settings, ['program', 'update', file, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ applied: false, code: 'invalid_program' });
    const text = await runCliOn(t.database.settings, ['program', 'list']);
    expect(text.out).toContain('文書箱');
    expect(text.out).toContain('棚');
  });
});
