import { attachmentDisposition } from './content-disposition';

describe('attachmentDisposition', () => {
  it('should keep a Japanese name in filename* (UTF-8, percent-encoded) with an ASCII fallback', () => {
    expect(attachmentDisposition('改正様式.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''%E6%94%B9%E6%AD%A3%E6%A7%98%E5%BC%8F.pdf`,
    );
  });

  it('should escape quotes, spaces and percent signs so the header cannot be broken', () => {
    const header = attachmentDisposition('a "b" 100%.pdf');
    expect(header).toBe(`attachment; filename="a _b_ 100%.pdf"; filename*=UTF-8''a%20%22b%22%20100%25.pdf`);
    expect(decodeURIComponent(header.split("UTF-8''")[1])).toBe('a "b" 100%.pdf');
  });
});
