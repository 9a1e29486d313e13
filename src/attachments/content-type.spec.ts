import * as ExcelJS from 'exceljs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { docxBytes, pdfBytes, pngBytes, storedZip, xlsxBytes } from '../../test/support/stored-zip';
import { checkAttachmentContent, detectKind, kindFromName } from './content-type';

describe('attachment content type from the bytes', () => {
  let dir: string;
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attach-type-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should recognize PDF, PNG, JPEG, xlsx and docx by their bytes', async () => {
    expect(await detectKind(write('a', pdfBytes()))).toBe('pdf');
    expect(await detectKind(write('b', pngBytes()))).toBe('png');
    expect(await detectKind(write('c', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46])))).toBe('jpeg');
    expect(await detectKind(write('d', xlsxBytes()))).toBe('xlsx');
    expect(await detectKind(write('e', docxBytes()))).toBe('docx');
  });

  it('should recognize a workbook as exceljs (like Excel) writes it, data descriptors and all', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('押印廃止').addRow(['管理番号', '名称']);
    const file = path.join(dir, 'real.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(await detectKind(file)).toBe('xlsx');
  });

  it('should not take a plain zip, a damaged zip or text for an accepted kind', async () => {
    expect(await detectKind(write('f', storedZip({ 'readme.txt': 'hello' })))).toBeUndefined();
    expect(await detectKind(write('g', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(40)])))).toBeUndefined();
    expect(await detectKind(write('h', Buffer.from('<html><script>alert(1)</script></html>')))).toBeUndefined();
    expect(await detectKind(write('i', Buffer.alloc(0)))).toBeUndefined();
  });

  it('should map accepted extensions case-insensitively and refuse others', () => {
    expect(kindFromName('様式.PDF')).toBe('pdf');
    expect(kindFromName('photo.jpg')).toBe('jpeg');
    expect(kindFromName('macro.xlsm')).toBeUndefined();
    expect(kindFromName('noextension')).toBeUndefined();
  });

  it('should refuse a .pdf that is a docx, and a .docx that is a workbook, naming both kinds', async () => {
    await expect(checkAttachmentContent(write('j', docxBytes()), '改正様式.pdf')).rejects.toMatchObject({
      code: 'attachment_content_mismatch',
      status: 400,
      details: { claimed: 'pdf', actual: 'docx' },
    });
    await expect(checkAttachmentContent(write('k', xlsxBytes()), '規定.docx')).rejects.toMatchObject({ code: 'attachment_content_mismatch' });
    await expect(checkAttachmentContent(write('l', pdfBytes()), 'script.html')).rejects.toMatchObject({ code: 'attachment_type_not_allowed' });
    await expect(checkAttachmentContent(write('m', xlsxBytes()), '一覧.xlsx')).resolves.toEqual({
      kind: 'xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
  });
});
