// The time and place a photo was taken, from its EXIF (JPEG APP1): DateTimeOriginal and the GPS
// latitude/longitude. Read from the original before the phone downscales it (the canvas drops EXIF)
// and kept as the file's metadata; the outbox sends it along with the record (`photo_meta`).
export interface PhotoMeta {
  /** "2026:11:28 14:03:07" as the camera wrote it (local time of the phone, no zone). */
  taken_at?: string
  lat?: number
  lng?: number
}

function readAscii(v: DataView, off: number, len: number): string {
  let s = ''
  for (let i = 0; i < len; i++) {
    const c = v.getUint8(off + i)
    if (c === 0) break
    s += String.fromCharCode(c)
  }
  return s
}

/** Parses the EXIF block of a JPEG; answers null when there is none (PNG, stripped, not a JPEG). */
export function parseExif(buf: ArrayBuffer): PhotoMeta | null {
  const v = new DataView(buf)
  if (v.byteLength < 4 || v.getUint16(0) !== 0xffd8) return null
  let p = 2
  while (p + 4 <= v.byteLength) {
    const marker = v.getUint16(p)
    const size = v.getUint16(p + 2)
    if ((marker & 0xff00) !== 0xff00) return null
    if (marker === 0xffe1 && p + 10 <= v.byteLength && readAscii(v, p + 4, 4) === 'Exif') return parseTiff(v, p + 10)
    if (marker === 0xffda) return null // image data: no EXIF before it
    p += 2 + size
  }
  return null
}

function parseTiff(v: DataView, t: number): PhotoMeta | null {
  try {
    const le = v.getUint16(t) === 0x4949
    const u16 = (o: number) => v.getUint16(t + o, le)
    const u32 = (o: number) => v.getUint32(t + o, le)
    const rational = (o: number) => u32(o) / (u32(o + 4) || 1)
    const entries = (ifd: number) => {
      const out = new Map<number, { type: number; count: number; at: number }>()
      const n = u16(ifd)
      for (let i = 0; i < n; i++) {
        const e = ifd + 2 + i * 12
        const type = u16(e + 2)
        const count = u32(e + 4)
        const bytes = count * ({ 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 } as Record<number, number>)[type]!
        out.set(u16(e), { type, count, at: bytes > 4 ? u32(e + 8) : e + 8 })
      }
      return out
    }
    const meta: PhotoMeta = {}
    const ifd0 = entries(u32(4))
    const exifPtr = ifd0.get(0x8769)
    if (exifPtr) {
      const dto = entries(u32(exifPtr.at)).get(0x9003)
      if (dto) meta.taken_at = readAscii(v, t + dto.at, dto.count)
    }
    const gpsPtr = ifd0.get(0x8825)
    if (gpsPtr) {
      const gps = entries(u32(gpsPtr.at))
      const coord = (tag: number, refTag: number, neg: string) => {
        const c = gps.get(tag)
        const r = gps.get(refTag)
        if (!c || c.count < 3) return undefined
        const deg = rational(c.at) + rational(c.at + 8) / 60 + rational(c.at + 16) / 3600
        const ref = r ? String.fromCharCode(v.getUint8(t + r.at)) : ''
        return Math.round((ref === neg ? -deg : deg) * 1e7) / 1e7
      }
      const lat = coord(2, 1, 'S')
      const lng = coord(4, 3, 'W')
      if (lat !== undefined && lng !== undefined) Object.assign(meta, { lat, lng })
    }
    return Object.keys(meta).length ? meta : null
  } catch {
    return null // a truncated or odd EXIF block: no metadata rather than no photo
  }
}

export async function readExif(blob: Blob): Promise<PhotoMeta | null> {
  if (!/jpe?g/i.test(blob.type) && blob.type !== '') return null
  // EXIF sits in the first 64 KB of a JPEG.
  return parseExif(await blob.slice(0, 65_536).arrayBuffer())
}
