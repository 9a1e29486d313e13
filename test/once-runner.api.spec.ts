import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createCliContext } from '../src/bootstrap';
import { FixedClock } from '../src/common/clock';
import { dueDailySlot, OnceRunner, scheduleDaily } from '../src/database/once-runner';
import { databaseKinds, useTestApp } from './support/test-app';

// Scheduled jobs run once per slot, not once per server process: two application instances on
// one database (separate connections, as two processes have) race for the same slots.

describe.each(databaseKinds())('once-only jobs on %s', (kind) => {
  const t = useTestApp(kind);
  let other: INestApplicationContext;
  let first: OnceRunner;
  let second: OnceRunner;

  beforeAll(async () => {
    other = await createCliContext({ config: t.config, clock: new FixedClock('2026-11-24T01:00:00Z'), logger: false });
    first = t.app.get(OnceRunner);
    second = other.get(OnceRunner);
  }, 60_000);
  afterAll(async () => {
    await other?.close();
  });

  it('should run a job once per slot however many processes try at the same moment', async () => {
    let runs = 0;
    const work = async () => {
      runs++;
      // holds the slot a while, so the others arrive while it runs
      await new Promise((resolve) => setImmediate(resolve));
      return 'backed up';
    };
    const attempts = await Promise.all([first, second, first, second, second, first].map((runner) => runner.run('nightly-backup', '2026-11-24', work)));
    expect(runs).toBe(1);
    expect(attempts.filter((attempt) => attempt.ran)).toEqual([{ ran: true, result: 'backed up' }]);
    expect(attempts.filter((attempt) => !attempt.ran)).toHaveLength(5);

    // later, from either process: already done for this slot; the next slot runs (once)
    expect(await second.run('nightly-backup', '2026-11-24', work)).toMatchObject({ ran: false, reason: 'done' });
    const next = await Promise.all([first.run('nightly-backup', '2026-11-25', work), second.run('nightly-backup', '2026-11-25', work)]);
    expect(next.filter((attempt) => attempt.ran)).toHaveLength(1);
    expect(runs).toBe(2);
    // another job has slots of its own
    expect(await second.run('reminders', '2026-11-24', work)).toMatchObject({ ran: true });

    const rows = await t.app.get(DataSource).query("SELECT job, slot, outcome FROM job_runs ORDER BY job, slot");
    expect(rows).toEqual([
      { job: 'nightly-backup', slot: '2026-11-24', outcome: 'done' },
      { job: 'nightly-backup', slot: '2026-11-25', outcome: 'done' },
      { job: 'reminders', slot: '2026-11-24', outcome: 'done' },
    ]);
  });

  it('should record a failure (and not run the slot again), and take over a run whose process died', async () => {
    await expect(first.run('failing', '2026-11-24', async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    const [failed] = await t.app.get(DataSource).query("SELECT outcome, detail FROM job_runs WHERE job = 'failing'");
    expect(failed).toEqual({ outcome: 'failed', detail: 'disk full' });
    expect(await second.run('failing', '2026-11-24', async () => 'again')).toMatchObject({ ran: false, reason: 'done' });

    // a claim whose lease ran out without finishing: its process died mid-job
    const insert = kind === 'postgres' ? 'VALUES ($1, $2, $3, $4, $5)' : 'VALUES (?, ?, ?, ?, ?)';
    await t.app.get(DataSource).query(`INSERT INTO job_runs (job, slot, holder, started_at, lease_until) ${insert}`, ['crashed', '2026-11-24', 'gone:1', '2026-11-23T17:30:00.000Z', '2026-11-23T18:30:00.000Z']);
    // a live claim (lease in the future) is left alone
    await t.app.get(DataSource).query(`INSERT INTO job_runs (job, slot, holder, started_at, lease_until) ${insert}`, ['running', '2026-11-24', 'busy:2', '2026-11-24T00:59:00.000Z', '2026-11-24T01:59:00.000Z']);
    const taken = await Promise.all([first.run('crashed', '2026-11-24', async () => 'recovered'), second.run('crashed', '2026-11-24', async () => 'recovered')]);
    expect(taken.filter((attempt) => attempt.ran)).toEqual([{ ran: true, result: 'recovered' }]);
    expect(await second.run('running', '2026-11-24', async () => 'twice')).toEqual({ ran: false, reason: 'claimed', holder: 'busy:2' });
  });

  it('should run a daily schedule once per day from every process that has it', async () => {
    let runs = 0;
    const job = { job: 'daily-report', timeZone: 'Asia/Tokyo', work: async () => ++runs, everyMs: 3_600_000 };
    // the test clock says 10:00 in Tokyo: a 09:00 job is due, an 11:00 one is not yet
    const early = [scheduleDaily(first, t.clock, { ...job, at: '09:00' }), scheduleDaily(second, t.clock, { ...job, at: '09:00' })];
    const late = scheduleDaily(second, t.clock, { ...job, job: 'late-report', at: '11:00' });
    try {
      const ticks = await Promise.all([...early, ...early].map((schedule) => schedule.tick()));
      expect(ticks.filter((tick) => tick?.ran)).toHaveLength(1);
      expect(runs).toBe(1);
      expect(await late.tick()).toBeNull();
    } finally {
      for (const schedule of [...early, late]) schedule.stop();
    }
  });
});

describe('dueDailySlot', () => {
  it('should name today (in the city zone) once the time of day has come, and nothing before', () => {
    // 01:00 UTC = 10:00 in Tokyo
    const clock = new FixedClock('2026-11-24T01:00:00Z');
    expect(dueDailySlot(clock, '02:30', 'Asia/Tokyo')).toBe('2026-11-24');
    expect(dueDailySlot(clock, '10:00', 'Asia/Tokyo')).toBe('2026-11-24');
    expect(dueDailySlot(clock, '10:01', 'Asia/Tokyo')).toBeNull();
  });
});
