import { DemoService } from '../src/sample-data/demo.service';
import { SAMPLE_NOTE, SAMPLE_PREFIX } from '../src/sample-data/generator';
import { runCliOn } from './support/run-cli';
import { databaseKinds, startTestApp, TestApp, useTestApp } from './support/test-app';

describe.each(databaseKinds())('demo on %s', (kind) => {
  describe('filled by the demo service (clock fixed at 2026-11-24)', () => {
    const t = useTestApp(kind);
    const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });
    const get = async (path: string) => (await t.http().get(path).set(auth()).expect(200)).body;

    it('should fill the empty database with a labelled city, its plans and its volumes', async () => {
      const summary = await t.app.get(DemoService).fill({ items: 300 });
      expect(summary).toMatchObject({
        asOf: '2026-11-24',
        items: { seal: 165, analog: 105, online: 30 },
        nationalProcedures: 51,
        volumes: { from: '2025-11', to: '2026-10', rows: 81 * 12 },
      });
      expect(summary.plans.map((plan) => plan.target).sort()).toEqual(['analog-review', 'online-mynumber27', 'online-priority24', 'seal-abolition']);

      for (const program of ['seal', 'analog', 'online']) {
        const list = await get(`/api/v1/programs/${program}/items?pageSize=500`);
        expect(list.total).toBe(program === 'seal' ? 165 : program === 'analog' ? 105 : 81);
        expect(list.items.every((item: { name: string; note: string }) => item.name.startsWith(SAMPLE_PREFIX) && item.note.startsWith(SAMPLE_NOTE))).toBe(true);
      }
    });

    it('should show a living dashboard: progress with plans, a burn-up history and take-up', async () => {
      const progress = await get('/api/v1/progress');
      const seal = progress.targets.find((target: { id: string }) => target.id === 'seal-abolition');
      expect(seal.total).toBe(165);
      expect(seal.done).toBeGreaterThan(40);
      expect(seal.pacePerMonth).toBeGreaterThan(0);
      expect(seal.plannedToDate).toBeGreaterThan(0);
      expect(seal.planVariance).toBe(seal.done - seal.plannedToDate);
      expect(seal.plan.at(-1)).toMatchObject({ month: '2028-03', plannedCumulative: seal.total - seal.excluded });
      // the plan's past months carry actual counts that never fall as the months go by
      const actual = seal.plan.filter((point: { actualCumulative: number | null }) => point.actualCumulative !== null).map((point: { actualCumulative: number }) => point.actualCumulative);
      expect(actual.length).toBe(25); // 2024-11 … 2026-11
      expect(actual[0]).toBeLessThan(actual[actual.length - 1]);
      const mynumber = progress.targets.find((target: { id: string }) => target.id === 'online-mynumber27');
      expect(mynumber.done).toBeGreaterThanOrEqual(20);

      const takeUp = await get('/api/v1/take-up');
      const measured = takeUp.items.filter((item: { takeUp: number | null }) => item.takeUp !== null).map((item: { takeUp: number }) => item.takeUp);
      expect(measured.length).toBeGreaterThan(60);
      expect([...measured].sort((a, b) => a - b)).toEqual(measured);
      expect(takeUp.total.takeUp).toBeGreaterThan(0);

      const abolished = (await get('/api/v1/programs/seal/items?status=abolished&pageSize=1')).items[0];
      const history = await get(`/api/v1/items/${abolished.id}/history`);
      expect(history.entries.map((entry: { to: string }) => entry.to)).toEqual(['seal_required', 'reviewing', 'abolished']);
      expect(history.entries.every((entry: { by: string }) => entry.by === 'サンプルデータ')).toBe(true);
      expect(history.entries[2].effectiveOn).toBe(abolished.completedOn);
    });

    it('should refuse to run a second time', async () => {
      await expect(t.app.get(DemoService).fill({ items: 10 })).rejects.toMatchObject({ code: 'database_not_empty' });
      expect((await get('/api/v1/programs/seal/items?pageSize=1')).total).toBe(165);
    });
  });

  describe('from the command line', () => {
    let fresh: TestApp;
    let used: TestApp;
    beforeAll(async () => {
      [fresh, used] = await Promise.all([startTestApp(kind), startTestApp(kind)]);
    });
    afterAll(async () => {
      await Promise.all([fresh?.close(), used?.close()]);
    });

    it('should fill an empty database and print the summary', async () => {
      const result = await runCliOn(fresh.database.settings, ['demo', '--items', '40', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.out)).toMatchObject({ items: { seal: 22, analog: 14, online: 4 }, nationalProcedures: 51 });
      const list = await fresh.http().get('/api/v1/programs/seal/items').set('Authorization', `Bearer ${fresh.adminToken}`).expect(200);
      expect(list.body.total).toBe(22);
      const again = await runCliOn(fresh.database.settings, ['demo']);
      expect(again.code).toBe(1);
      expect(again.out).toContain('database_not_empty');
    });

    it('should refuse a database whose online procedures the city has changed, writing nothing', async () => {
      const auth = { Authorization: `Bearer ${used.adminToken}` };
      const listed = await used.http().get('/api/v1/programs/online/items?q=MN-01').set(auth).expect(200);
      const item = listed.body.items[0];
      await used.http().patch(`/api/v1/items/${item.id}`).set(auth).send({ status: 'planning', version: item.version }).expect(200);
      const result = await runCliOn(used.database.settings, ['demo', '--items', '20']);
      expect(result.code).toBe(1);
      expect(result.out).toContain('database_not_empty');
      const seal = await used.http().get('/api/v1/programs/seal/items').set(auth).expect(200);
      expect(seal.body.total).toBe(0);
    });

    it('should treat a bad --items as a usage error', async () => {
      expect((await runCliOn(fresh.database.settings, ['demo', '--items', 'many'])).code).toBe(2);
    });
  });
});
