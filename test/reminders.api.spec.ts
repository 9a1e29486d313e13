import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ReferenceDataService } from '../src/reference/reference-data.service';
import { ReminderScheduler } from '../src/reminders/reminder-scheduler';
import { createItem } from './support/factories';
import { runCliOn } from './support/run-cli';
import { decodeEncodedWords, parseMessage, startSmtpServer, TestSmtpServer } from './support/smtp-test-server';
import { databaseKinds, startTestApp, TestApp } from './support/test-app';

// Reminder mails: contact addresses per division (seed column and PUT), `remind` sending each
// division one Japanese mail through a real SMTP server, retries, and a refused mail reported.

const SHIMIN = 'shimin@city.example.jp';
const KOSODATE = ['kosodate@city.example.jp', 'kosodate-kakari@city.example.jp'];
const FLAKY = 'fukushi@city.example.jp';
const REFUSED = 'somu@refuse.example';

async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A copy of seeds/ whose organization.csv has the optional contact_emails column. */
function seedsWithContacts(root: string): void {
  fs.cpSync(path.join(__dirname, '..', 'seeds'), path.join(root, 'seeds'), { recursive: true });
  const file = path.join(root, 'seeds', 'organization.csv');
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const withColumn = rows.map((row) => `${row},${row.startsWith('D03,市民安全部,D03-01,') ? SHIMIN : ''}`);
  fs.writeFileSync(file, `${header},contact_emails\n${withColumn.join('\n')}\n`);
}

describe.each(databaseKinds())('reminder mails on %s', (kind) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let root: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const admin = () => bearer(t.adminToken);
  const remind = (args: string[]) =>
    withEnv({ SMTP_URL: smtp.url, MAIL_FROM: 'dx-tracker@city.example.jp', MAIL_RETRY_DELAY_MS: '0' }, () => runCliOn(t.database.settings, ['remind', ...args]));

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-remind-'));
    seedsWithContacts(root);
    smtp = await startSmtpServer({ refuse: (address) => address.endsWith('@refuse.example'), busyTimes: (address) => (address === FLAKY ? 1 : 0) });
    t = await startTestApp(kind, { config: { smtpUrl: smtp.url, mailFrom: 'dx-tracker@city.example.jp', mailRetryDelayMs: 0, reminderTime: '08:30' } });
    // the seed loaded again (as on every start) from a copy whose organization.csv has contact_emails
    const reference = t.app.get(ReferenceDataService);
    jest.spyOn(reference, 'seedsDir').mockReturnValue(path.join(root, 'seeds'));
    await reference.load();
    // one more overdue item for 市民課: a form past its own 予定日
    await createItem(t, 'seal', { code: 'RM-1', name: '印鑑登録申請書', division: '市民課', dueOn: '2026-10-01' });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('should take contacts from the seed column and from PUT (admin only, checked), and show them in GET organization', async () => {
    const put = await t.http().put('/api/v1/organization/divisions/子育て支援課/contacts').set(admin()).send({ emails: [' ｋｏｓｏｄａｔｅ＠City.Example.JP ', KOSODATE[1], KOSODATE[1]] }).expect(200);
    expect(put.body).toEqual({ code: 'D04-01', name: '子育て支援課', contacts: KOSODATE });
    await t.http().put('/api/v1/organization/divisions/D04-02/contacts').set(admin()).send({ emails: [FLAKY] }).expect(200);
    await t.http().put('/api/v1/organization/divisions/D01-01/contacts').set(admin()).send({ emails: [REFUSED] }).expect(200);

    const bad = await t.http().put('/api/v1/organization/divisions/D04-01/contacts').set(admin()).send({ emails: ['kosodate@city', 'x@city.example.jp'] }).expect(400);
    expect(bad.body).toMatchObject({ code: 'invalid_email', message: expect.stringContaining('kosodate@city'), details: { field: 'emails.0' } });
    expect((await t.http().put('/api/v1/organization/divisions/D99-99/contacts').set(admin()).send({ emails: [] }).expect(400)).body.code).toBe('unknown_division');
    const editor = await t.token('editor', '市民安全部');
    await t.http().put('/api/v1/organization/divisions/D03-01/contacts').set(bearer(editor)).send({ emails: ['me@city.example.jp'] }).expect(403);

    const organization = await t.http().get('/api/v1/organization').set(bearer(editor)).expect(200);
    const divisions = new Map<string, string[]>(
      organization.body.departments.flatMap((department: { divisions: { code: string; contacts: string[] }[] }) => department.divisions.map((division) => [division.code, division.contacts])),
    );
    expect(divisions.get('D03-01')).toEqual([SHIMIN]);
    expect(divisions.get('D04-01')).toEqual(KOSODATE);
    expect(divisions.get('D01-02')).toEqual([]);
  });

  it('should list who would get what with --dry-run and send nothing', async () => {
    const result = await remind(['--dry-run', '--as-of', '2026-11-24', '--json']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.out);
    expect(body.sent.map((entry: { division: string }) => entry.division)).toEqual(['D01-01', 'D03-01', 'D04-01', 'D04-02']);
    expect(body.sent.find((entry: { division: string }) => entry.division === 'D03-01')).toMatchObject({ to: [SHIMIN], overdue: 2 });
    expect(body.noContacts.map((entry: { division: string }) => entry.division)).toContain('D05-03');
    expect(smtp.received).toHaveLength(0);
  });

  it('should send each division one Japanese mail with correct MIME headers, retry a busy relay, and report a refused one (exit 1)', async () => {
    const result = await remind(['--as-of', '令和8年11月24日']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('[reminder_failed]');
    expect(result.out).toContain('D01-01 総務課');

    // three mails arrived: 市民課, 子育て支援課, and 社会福祉課 after one 451
    expect(smtp.received.map((mail) => mail.envelopeTo)).toEqual([[SHIMIN], KOSODATE, [FLAKY]]);
    expect(smtp.rcptAttempts.get(FLAKY)).toBe(2);
    // the refused one was tried three times (MAIL_RETRY_ATTEMPTS default) and never delivered
    expect(smtp.rcptAttempts.get(REFUSED)).toBe(3);

    const shimin = parseMessage(smtp.received[0].raw);
    expect(smtp.received[0].envelopeFrom).toBe('dx-tracker@city.example.jp');
    expect(shimin.headers.get('mime-version')).toBe('1.0');
    expect(shimin.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8$/i);
    expect(shimin.headers.get('content-transfer-encoding')).toBe('base64');
    expect(shimin.headers.get('from')).toBe('dx-tracker@city.example.jp');
    expect(shimin.headers.get('to')).toBe(SHIMIN);
    expect(shimin.headers.get('message-id')).toMatch(/^<.+@.+>$/);
    expect(shimin.headers.get('date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} /);
    expect(shimin.headers.get('x-tracker-division')).toBe('D03-01');
    // the raw subject is 7-bit encoded words; decoded it is the Japanese subject
    const rawSubject = shimin.headers.get('subject')!;
    expect(rawSubject).toMatch(/^[\x20-\x7e]+$/);
    expect(rawSubject).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(decodeEncodedWords(rawSubject)).toBe('【手続DX】市民課へのお知らせ（期限超過2件、令和8年11月24日現在）');
    const text = Buffer.from(shimin.body.replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(text).toContain('市民安全部 市民課 ご担当者様');
    expect(text).toContain('■ 期限を過ぎた項目（2件）');
    expect(text).toContain('[押印廃止] RM-1 印鑑登録申請書');
    expect(text).toContain('状況: 押印必要／予定日 令和8年10月1日');

    const kosodate = Buffer.from(parseMessage(smtp.received[1].raw).body.replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(kosodate).toContain('子育て支援課 ご担当者様');
    expect(kosodate).not.toContain('RM-1');

    const audit = await t.http().get('/api/v1/audit').set(admin()).expect(200);
    const entries = audit.body.entries as { action: string; by: string; detail: Record<string, unknown> }[];
    const sent = entries.filter((entry) => entry.action === 'reminder_sent');
    expect(sent.map((entry) => entry.detail.division)).toEqual(['D03-01', 'D04-01', 'D04-02']);
    expect(sent[2].detail).toMatchObject({ to: [FLAKY], attempts: 2, asOf: '2026-11-24', messageId: expect.any(String) });
    const failed = entries.filter((entry) => entry.action === 'reminder_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].detail).toMatchObject({ division: 'D01-01', to: [REFUSED], attempts: 3, errors: [expect.stringContaining('550'), expect.any(String), expect.any(String)] });
    expect(entries.some((entry) => entry.action === 'contacts_set' && entry.detail.division === 'D04-01')).toBe(true);
    expect(entries.find((entry) => entry.action === 'reminder_skipped')?.detail).toMatchObject({ reason: 'no_contacts', divisions: expect.arrayContaining(['D05-03']) });
  });

  it("should run the server's daily schedule once per day, however many processes share the database", async () => {
    const before = smtp.received.length;
    const scheduler = t.app.get(ReminderScheduler);
    await scheduler.runOnce();
    expect(smtp.received.length).toBe(before + 3);
    // a second process (or a restart) the same day: the day is already claimed, nothing is sent
    await scheduler.runOnce();
    expect(smtp.received.length).toBe(before + 3);
    const audit = await t.http().get('/api/v1/audit').set(admin()).expect(200);
    const bySchedule = (audit.body.entries as { action: string; by: string }[]).filter((entry) => entry.by === 'scheduler');
    expect(bySchedule.filter((entry) => entry.action === 'reminder_sent')).toHaveLength(3);
    expect(bySchedule.filter((entry) => entry.action === 'reminder_failed')).toHaveLength(1);
  });
});
