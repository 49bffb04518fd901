import { describe, expect, it } from 'vitest'
import { decodeText, detectDelimiter, parseCsv, toCsv } from './csv'

describe('csv', () => {
  it('parses quotes, doubled quotes, embedded newlines and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ])
  })

  it('strips a BOM and keeps empty trailing fields', () => {
    expect(parseCsv('\ufeff工号,姓名,\n1,张三,')).toEqual([
      ['工号', '姓名', ''],
      ['1', '张三', ''],
    ])
  })

  it('detects semicolon and tab delimiters', () => {
    expect(detectDelimiter('a;b;c\n1;2;3')).toBe(';')
    expect(parseCsv('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('writes what it reads', () => {
    const rows = [['工号', 'note'], ['1', 'a, "b"']]
    const text = toCsv(rows)
    expect(text.startsWith('\ufeff')).toBe(true)
    expect(parseCsv(text)).toEqual(rows)
  })

  it('decodes UTF-8 and falls back to GB18030 (Chinese Excel CSV)', () => {
    expect(decodeText(new TextEncoder().encode('焊接'))).toBe('焊接')
    // "焊接" in GBK
    expect(decodeText(new Uint8Array([0xba, 0xb8, 0xbd, 0xd3]))).toBe('焊接')
  })
})
