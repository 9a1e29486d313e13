import { clip } from './domain-error';
import { isDiskFull, toErrorBody } from './http-exception.filter';

describe('a full disk', () => {
  it('should be 507 disk_full whether the error is bare, wrapped by TypeORM or a cause', () => {
    for (const error of [
      Object.assign(new Error('no space'), { code: 'ENOSPC' }),
      Object.assign(new Error('query failed'), { driverError: { code: 'SQLITE_FULL' } }),
      Object.assign(new Error('query failed'), { driverError: { code: '53100' } }),
      new Error('write failed', { cause: Object.assign(new Error('x'), { code: 'ENOSPC' }) }),
    ]) {
      expect(isDiskFull(error)).toBe(true);
      expect(toErrorBody(error)).toMatchObject({ statusCode: 507, code: 'disk_full', message: expect.stringContaining('ディスクがいっぱい') });
    }
    expect(toErrorBody(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toMatchObject({ statusCode: 500, code: 'internal_error' });
  });
});

describe('clip', () => {
  it('should cut long values with … and leave short ones alone', () => {
    expect(clip('x'.repeat(3_000_000))).toBe(`${'x'.repeat(100)}…`);
    expect(clip('短い')).toBe('短い');
    expect(clip(undefined)).toBe('');
    // never half a surrogate pair
    expect(clip(`${'x'.repeat(99)}😀😀`)).toBe(`${'x'.repeat(99)}…`);
  });
});
