import * as iconv from 'iconv-lite';
import { randomBytes } from 'node:crypto';
import { detectEncoding, sniffEncoding } from './encoding';

describe('detectEncoding', () => {
  it('treats pure ASCII as UTF-8', () => {
    expect(detectEncoding(Buffer.from('code,name\r\nA-1,test\r\n'))).toBe('utf-8');
  });

  it('detects UTF-8 with and without BOM', () => {
    const text = '管理番号,名称\r\nA-1,髙橋①㈱\r\n';
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe('utf-8');
    expect(detectEncoding(Buffer.from(text))).toBe('utf-8');
  });

  it('keeps UTF-8 when the sniffed slice ends inside a multibyte character', () => {
    const full = Buffer.from('あ'.repeat(100));
    for (const cut of [1, 2]) {
      expect(detectEncoding(full.subarray(0, full.length - cut))).toBe('utf-8');
    }
  });

  it('detects CP932 with NEC/IBM extension characters', () => {
    const bytes = iconv.encode('管理番号,名称\r\nA-1,髙橋①㈱ｱｲｳ\r\n', 'cp932');
    expect(detectEncoding(bytes)).toBe('cp932');
    // Cut between the lead and trail byte of the last character.
    expect(detectEncoding(bytes.subarray(0, bytes.length - 3))).toBe('cp932');
  });

  it('reports UTF-16 and undecidable bytes through sniffEncoding', () => {
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe('utf-16le');
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x41]))).toBe('utf-16be');
    // A Shift_JIS lead byte followed by a space is not Shift_JIS (nor UTF-8).
    expect(sniffEncoding(Buffer.from('8a2061626382206465', 'hex'))).toBe('unknown');
    expect(sniffEncoding(randomBytes(4096))).toBe('unknown');
    expect(detectEncoding(randomBytes(4096))).toBe('cp932');
  });
});
