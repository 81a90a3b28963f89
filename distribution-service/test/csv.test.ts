import { describe, expect, it } from 'vitest';
import { csvField, csvRows } from '../src/domain/csv.js';

describe('CSV fields (RFC 4180, OWASP CSV injection)', () => {
  it.each([
    ['=1+1', `"'=1+1"`],
    ['+1', `"'+1"`],
    ['-1', `"'-1"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","a,b")', `"'=HYPERLINK(""http://x"",""a,b"")"`],
  ])('prefixes formula-leading text %j with a quote inside a quoted field', (cell, field) => {
    expect(csvField(cell)).toBe(field);
  });

  it('leaves other text, numbers and empty cells as RFC 4180 has them', () => {
    expect(csvField('shop')).toBe('shop');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a-b')).toBe('a-b');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
    expect(csvRows([['label', 'count'], ['-x', 2]])).toBe(`label,count\r\n"'-x",2\r\n`);
  });
});
