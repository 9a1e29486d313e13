import { sessionView } from './session-view';

describe('sessionView', () => {
  const department = { code: 'D01', name: '行政管理部' };
  it('should offer edits to admins and to editors with a department, never to viewers', () => {
    expect(sessionView({ userId: 1, name: 'a', role: 'admin', departmentId: null }, null)).toMatchObject({ roleLabel: '管理者', canEdit: true, department: null });
    expect(sessionView({ userId: 2, name: 'e', role: 'editor', departmentId: 1 }, department)).toMatchObject({ roleLabel: '編集者', canEdit: true, department });
    expect(sessionView({ userId: 3, name: 'e2', role: 'editor', departmentId: null }, null).canEdit).toBe(false);
    expect(sessionView({ userId: 4, name: 'v', role: 'viewer', departmentId: 1 }, department)).toMatchObject({ roleLabel: '閲覧者', canEdit: false });
  });
});
