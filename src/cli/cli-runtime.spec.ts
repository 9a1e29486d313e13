import { describeError } from './cli-runtime';

describe('the CLI on a full disk', () => {
  it('should say the disk is full, not internal_error', () => {
    expect(describeError(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }))).toMatchObject({ code: 'disk_full', message: expect.stringContaining('ディスクがいっぱい'), exitCode: 1 });
  });
});
