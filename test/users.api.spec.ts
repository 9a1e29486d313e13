import { databaseKinds, useTestApp } from './support/test-app';

// User administration over the API (admins only): create with a temporary password shown once,
// role and department, password reset, disable, API token.
describe.each(databaseKinds())('user administration API on %s', (kind) => {
  const t = useTestApp(kind);
  const admin = () => ({ Authorization: `Bearer ${t.adminToken}` });

  it('should let an admin create, change, reset, give a token to and disable a user; others may not', async () => {
    const created = await t.http().post('/api/v1/users').set(admin()).send({ name: '山田花子', login: 'yamada', role: 'editor', department: '福祉こども部' }).expect(201);
    expect(created.body).toEqual({ id: expect.any(Number), login: 'yamada', name: '山田花子', role: 'editor', department: '福祉こども部', temporaryPassword: expect.stringMatching(/^[A-Za-z0-9]{16}$/) });
    const id = created.body.id as number;
    expect((await t.http().post('/api/v1/users').set(admin()).send({ name: '別人', login: 'YAMADA', role: 'viewer' }).expect(409)).body.code).toBe('login_taken');
    expect((await t.http().post('/api/v1/users').set(admin()).send({ name: '編集', login: 'henshu', role: 'editor' }).expect(400)).body.code).toBe('department_required');

    const list = await t.http().get('/api/v1/users').set(admin()).expect(200);
    const row = list.body.users.find((user: { id: number }) => user.id === id);
    expect(row).toMatchObject({ login: 'yamada', password: 'temporary', tokenPrefix: null, disabledAt: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.temporaryPassword);

    const changed = await t.http().patch(`/api/v1/users/${id}`).set(admin()).send({ role: 'viewer', department: '' }).expect(200);
    expect(changed.body).toMatchObject({ role: 'viewer', department: null });

    const reset = await t.http().post(`/api/v1/users/${id}/password-reset`).set(admin()).expect(200);
    expect(reset.body.temporaryPassword).not.toBe(created.body.temporaryPassword);
    await t.http().post('/api/v1/auth/login').send({ login: 'yamada', password: created.body.temporaryPassword }).expect(401);
    const signed = await t.http().post('/api/v1/auth/login').send({ login: 'yamada', password: reset.body.temporaryPassword }).expect(200);
    expect(signed.body.mustChangePassword).toBe(true);

    const token = await t.http().post(`/api/v1/users/${id}/token`).set(admin()).expect(200);
    expect(token.body).toEqual({ id, login: 'yamada', token: expect.stringMatching(/^pdt_/) });
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token.body.token}`).expect(200);

    const viewer = await t.token('viewer');
    for (const call of [
      t.http().get('/api/v1/users'),
      t.http().post('/api/v1/users').send({ name: 'x', login: 'xx', role: 'viewer' }),
      t.http().post(`/api/v1/users/${id}/password-reset`),
      t.http().post(`/api/v1/users/${id}/token`),
    ]) {
      expect((await call.set('Authorization', `Bearer ${viewer}`).expect(403)).body.code).toBe('forbidden');
    }

    await t.http().post(`/api/v1/users/${id}/disable`).set(admin()).expect(200);
    await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token.body.token}`).expect(401);
    await t.http().post('/api/v1/auth/login').send({ login: 'yamada', password: reset.body.temporaryPassword }).expect(401);
    const self = (await t.http().get('/api/v1/me').set(admin()).expect(200)).body;
    const me = (await t.http().get('/api/v1/users').set(admin()).expect(200)).body.users.find((user: { login: string }) => user.login === self.login);
    expect((await t.http().post(`/api/v1/users/${me.id}/disable`).set(admin()).expect(409)).body.code).toBe('cannot_disable_self');
    await t.http().post('/api/v1/users/999999/disable').set(admin()).expect(404);
  });
});
