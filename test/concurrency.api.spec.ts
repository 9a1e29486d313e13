import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ItemsService } from '../src/items/items.service';
import { databaseKinds, useTestApp } from './support/test-app';

// Optimistic locking under a real race: many clients PATCH the same item with the same version
// at once, through a listening server (separate sockets, interleaved requests).

const RACERS = 20;

describe.each(databaseKinds())('optimistic locking under a race on %s', (kind) => {
  const t = useTestApp(kind);
  let base: string;
  const auth = () => ({ Authorization: `Bearer ${t.adminToken}` });

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });

  async function itemByCode(code: string) {
    const list = await request(base).get(`/api/v1/programs/online/items?q=${code}`).set(auth()).expect(200);
    expect(list.body.items).toHaveLength(1);
    return list.body.items[0] as { id: number; version: number; status: string; note: string | null };
  }

  async function historyLength(id: number): Promise<number> {
    return (await request(base).get(`/api/v1/items/${id}/history`).set(auth()).expect(200)).body.entries.length;
  }

  it(`should let exactly 1 of ${RACERS} same-version status changes win, with one history row`, async () => {
    const item = await itemByCode('MN-10');
    const historyBefore = await historyLength(item.id);
    const responses = await Promise.all(
      Array.from({ length: RACERS }, (_, index) =>
        request(base)
          .patch(`/api/v1/items/${item.id}`)
          .set(auth())
          .send({ status: 'planning', note: `racer ${index}`, version: item.version }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(RACERS - 1);
    for (const response of responses.filter((candidate) => candidate.status === 409)) {
      expect(response.body).toEqual({ statusCode: 409, code: 'version_conflict', message: expect.any(String) });
    }
    const winner = responses.find((response) => response.status === 200)!;
    const after = await itemByCode('MN-10');
    expect(after.version).toBe(item.version + 1);
    expect(after).toMatchObject({ status: 'planning', note: winner.body.note });
    expect(await historyLength(item.id)).toBe(historyBefore + 1);
    const history = (await request(base).get(`/api/v1/items/${item.id}/history`).set(auth()).expect(200)).body.entries;
    expect(history[history.length - 1]).toMatchObject({ from: item.status, to: 'planning', note: winner.body.note });
  });

  it('should hold when every racer passed the early version check: the conditional UPDATE decides', async () => {
    // Hold each PATCH's first read of the item until all racers have read it, so none is turned
    // away by the check before the transaction and all of them reach the UPDATE … WHERE version.
    const item = await itemByCode('MN-13');
    const historyBefore = await historyLength(item.id);
    const service = t.app.get(ItemsService);
    const original = service.findStored.bind(service);
    let waiting = 0;
    let openBarrier!: () => void;
    const barrier = new Promise<void>((resolve) => (openBarrier = resolve));
    const spy = jest.spyOn(service, 'findStored').mockImplementation(async (id) => {
      const found = await original(id);
      if (++waiting === RACERS) openBarrier();
      await barrier;
      return found;
    });
    try {
      const responses = await Promise.all(
        Array.from({ length: RACERS }, (_, index) =>
          request(base)
            .patch(`/api/v1/items/${item.id}`)
            .set(auth())
            .send({ status: 'in_progress', note: `barrier ${index}`, version: item.version }),
        ),
      );
      expect(waiting).toBe(RACERS);
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(RACERS - 1);
    } finally {
      spy.mockRestore();
    }
    const after = await itemByCode('MN-13');
    expect(after).toMatchObject({ status: 'in_progress', version: item.version + 1 });
    expect(await historyLength(item.id)).toBe(historyBefore + 1);
  });

  it('should serialize racers that each carry the version they read', async () => {
    // Same item, each racer re-reads and retries on 409: every change lands exactly once.
    const item = await itemByCode('MN-11');
    const historyBefore = await historyLength(item.id);
    const notes = Array.from({ length: 8 }, (_, index) => `retry ${index}`);
    await Promise.all(
      notes.map(async (note) => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const current = (await request(base).get(`/api/v1/items/${item.id}`).set(auth()).expect(200)).body;
          const response = await request(base).patch(`/api/v1/items/${item.id}`).set(auth()).send({ note, version: current.version });
          if (response.status === 200) return;
          expect(response.status).toBe(409);
        }
        throw new Error(`${note} never won`);
      }),
    );
    const after = (await request(base).get(`/api/v1/items/${item.id}`).set(auth()).expect(200)).body;
    expect(after.version).toBe(item.version + notes.length);
    // every change that landed wrote exactly one history row, none of the refused ones did
    expect(await historyLength(item.id)).toBe(historyBefore + notes.length);
  });

  it('should let a same-version race of a status change and a stale one leave no trace of the loser', async () => {
    const item = await itemByCode('MN-12');
    const historyBefore = await historyLength(item.id);
    const [done, excluded] = await Promise.all([
      request(base).patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: 'online', completedOn: '2026-10-01', version: item.version }),
      request(base).patch(`/api/v1/items/${item.id}`).set(auth()).send({ status: 'not_applicable', note: '対象外', version: item.version }),
    ]);
    expect([done.status, excluded.status].sort()).toEqual([200, 409]);
    const after = await itemByCode('MN-12');
    const winner = done.status === 200 ? 'online' : 'not_applicable';
    expect(after).toMatchObject({ status: winner, version: item.version + 1 });
    expect(await historyLength(item.id)).toBe(historyBefore + 1);
  });
});
