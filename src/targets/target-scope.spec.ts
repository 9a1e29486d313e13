import { inTargetScope } from './target-scope';

describe('inTargetScope', () => {
  const item = { program: 'online', nationalGroup: 'mynumber27', departmentCode: 'D04', code: 'MN-01' };

  it('should cover every item of the program when the scope is empty', () => {
    expect(inTargetScope({ program: 'online', scope: {} }, item)).toBe(true);
    expect(inTargetScope({ program: 'seal', scope: {} }, item)).toBe(false);
  });

  it('should narrow by national group, department and codes together', () => {
    expect(inTargetScope({ program: 'online', scope: { nationalGroup: 'mynumber27' } }, item)).toBe(true);
    expect(inTargetScope({ program: 'online', scope: { nationalGroup: 'priority24' } }, item)).toBe(false);
    expect(inTargetScope({ program: 'online', scope: { department: 'D04' } }, item)).toBe(true);
    expect(inTargetScope({ program: 'online', scope: { department: 'D05' } }, item)).toBe(false);
    expect(inTargetScope({ program: 'online', scope: { department: 'D04' } }, { ...item, departmentCode: undefined })).toBe(false);
    expect(inTargetScope({ program: 'online', scope: { codes: ['MN-01', 'MN-02'] } }, item)).toBe(true);
    expect(inTargetScope({ program: 'online', scope: { codes: ['MN-02'] } }, item)).toBe(false);
    expect(inTargetScope({ program: 'online', scope: { nationalGroup: 'mynumber27', codes: ['MN-02'] } }, item)).toBe(false);
  });

  it('should trust a query that already filtered by codes when the row carries no code', () => {
    expect(inTargetScope({ program: 'online', scope: { codes: ['MN-02'] } }, { ...item, code: undefined })).toBe(true);
  });
});
