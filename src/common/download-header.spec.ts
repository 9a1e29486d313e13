import { attachmentDisposition, rfc5987Encode } from './download-header';

describe('Content-Disposition', () => {
  it("should percent-encode UTF-8 and the characters RFC 5987 does not allow bare", () => {
    expect(rfc5987Encode("a'b(c)*.csv")).toBe('a%27b%28c%29%2A.csv');
    expect(rfc5987Encode('押印')).toBe('%E6%8A%BC%E5%8D%B0');
  });

  it('should give the Japanese name as filename* and an ASCII fallback', () => {
    expect(attachmentDisposition('押印廃止_2026-11-24.csv', 'seal-items-2026-11-24.csv')).toBe(
      `attachment; filename="seal-items-2026-11-24.csv"; filename*=UTF-8''%E6%8A%BC%E5%8D%B0%E5%BB%83%E6%AD%A2_2026-11-24.csv`,
    );
  });

  it('should keep quotes and non-ASCII out of the fallback', () => {
    expect(attachmentDisposition('x', 'a"b\\c課.csv')).toContain('filename="a_b_c_.csv"');
  });
});
