import { describe, expect, it } from 'vitest'
import { parseExif } from './exif'

/** A minimal big-endian JPEG with an EXIF block: IFD0 → Exif IFD (DateTimeOriginal) and GPS IFD. */
function jpegWithExif(): ArrayBuffer {
  const tiff: number[] = []
  const u16 = (n: number) => tiff.push((n >> 8) & 0xff, n & 0xff)
  const u32 = (n: number) => tiff.push((n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
  const entry = (tag: number, type: number, count: number, value: number) => (u16(tag), u16(type), u32(count), u32(value))
  // header
  tiff.push(0x4d, 0x4d), u16(42), u32(8)
  // IFD0 at 8: 2 entries → Exif IFD at 38, GPS IFD at 56
  u16(2), entry(0x8769, 4, 1, 38), entry(0x8825, 4, 1, 56), u32(0)
  // Exif IFD at 38: DateTimeOriginal (ASCII, 20 bytes at 116)
  u16(1), entry(0x9003, 2, 20, 116), u32(0)
  // GPS IFD at 56: N, lat at 136, E, lng at 160 ( = 56 + 2 + 4*12 + 4 = 110 → padding to 116 )
  u16(4)
  entry(1, 2, 2, 0x4e000000) // 'N'
  entry(2, 5, 3, 136)
  entry(3, 2, 2, 0x45000000) // 'E'
  entry(4, 5, 3, 160)
  u32(0)
  while (tiff.length < 116) tiff.push(0)
  for (const c of '2026:11:28 14:03:07\0') tiff.push(c.charCodeAt(0))
  const rat = (n: number, d: number) => (u32(n), u32(d))
  rat(31, 1), rat(13, 1), rat(3000, 100) // 31° 13' 30" N
  rat(121, 1), rat(28, 1), rat(1800, 100) // 121° 28' 18" E
  const app1 = [...'Exif'].map((c) => c.charCodeAt(0)).concat([0, 0], tiff)
  const size = app1.length + 2
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, size >> 8, size & 0xff, ...app1, 0xff, 0xd9]).buffer
}

describe('parseExif', () => {
  it('reads the time taken and the GPS position', () => {
    expect(parseExif(jpegWithExif())).toEqual({ taken_at: '2026:11:28 14:03:07', lat: 31.225, lng: 121.4716667 }) // 121 + 28/60 + 18/3600
  })
  it('answers null without EXIF', () => {
    expect(parseExif(new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer)).toBeNull()
    expect(parseExif(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]).buffer)).toBeNull()
  })
})
