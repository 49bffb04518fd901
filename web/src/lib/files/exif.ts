// The time and place a photo was taken, from its EXIF (JPEG APP1): DateTimeOriginal (and its zone) and the
// GPS latitude/longitude/altitude. Read from the original before the phone downscales it (the canvas drops
// EXIF); `withExif` writes them back into the downscaled JPEG, so the server's files module reads them from
// the upload itself (its `captured_at` and `gps` metadata). Also kept as the file's metadata on the phone; the
// outbox sends it along with the record (`photo_meta`).
export interface PhotoMeta {
  /** "2026:11:28 14:03:07" as the camera wrote it (local time of the phone, no zone). */
  taken_at?: string
  /** OffsetTimeOriginal, "+08:00": the zone of taken_at when the camera recorded it. */
  offset?: string
  lat?: number
  lng?: number
  /** Metres above (negative: below) sea level. */
  alt?: number
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
      const exif = entries(u32(exifPtr.at))
      const dto = exif.get(0x9003)
      if (dto) meta.taken_at = readAscii(v, t + dto.at, dto.count)
      const offset = exif.get(0x9011)
      if (offset) meta.offset = readAscii(v, t + offset.at, offset.count)
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
      const alt = gps.get(6)
      if (alt && alt.type === 5) {
        const below = gps.get(5)?.type === 1 && v.getUint8(t + gps.get(5)!.at) === 1
        meta.alt = Math.round((below ? -1 : 1) * rational(alt.at) * 100) / 100
      }
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

// ---- writing (into the downscaled JPEG) ----

const ASCII = 2
const BYTE = 1
const LONG = 4
const RATIONAL = 5
const UNDEFINED = 7

interface Tag {
  tag: number
  type: number
  count: number
  /** The value's bytes, little-endian. */
  bytes: Uint8Array
}

const le = (n: number, size: 2 | 4) => {
  const b = new Uint8Array(size)
  const v = new DataView(b.buffer)
  if (size === 2) v.setUint16(0, n, true)
  else v.setUint32(0, n >>> 0, true)
  return b
}
const ascii = (tag: number, text: string): Tag => {
  const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0) & 0x7f).concat(0))
  return { tag, type: ASCII, count: bytes.length, bytes }
}
const rationals = (tag: number, values: [number, number][]): Tag => {
  const bytes = new Uint8Array(values.length * 8)
  const v = new DataView(bytes.buffer)
  values.forEach(([n, d], i) => (v.setUint32(i * 8, n, true), v.setUint32(i * 8 + 4, d, true)))
  return { tag, type: RATIONAL, count: values.length, bytes }
}
/** Degrees as EXIF writes them: whole degrees, whole minutes, seconds in 1/10000. */
const dms = (deg: number): [number, number][] => {
  const a = Math.abs(deg)
  const d = Math.floor(a)
  const m = Math.floor((a - d) * 60)
  const s = Math.round(((a - d) * 60 - m) * 60 * 10000)
  return [
    [d, 1],
    [m, 1],
    [s, 10000],
  ]
}

/** One IFD at `offset` (from the TIFF header): entries sorted by tag, values over 4 bytes after the entries. */
function encodeIfd(tags: Tag[], offset: number): Uint8Array {
  const sorted = [...tags].sort((a, b) => a.tag - b.tag)
  const head = 2 + sorted.length * 12 + 4
  const extra = sorted.reduce((n, e) => n + (e.bytes.length > 4 ? e.bytes.length + (e.bytes.length % 2) : 0), 0)
  const out = new Uint8Array(head + extra)
  const v = new DataView(out.buffer)
  v.setUint16(0, sorted.length, true)
  let data = head
  sorted.forEach((e, i) => {
    const p = 2 + i * 12
    v.setUint16(p, e.tag, true)
    v.setUint16(p + 2, e.type, true)
    v.setUint32(p + 4, e.count, true)
    if (e.bytes.length <= 4) out.set(e.bytes, p + 8)
    else {
      v.setUint32(p + 8, offset + data, true)
      out.set(e.bytes, data)
      data += e.bytes.length + (e.bytes.length % 2)
    }
  })
  return out
}

/** The TIFF block of an EXIF APP1 holding only the time taken and the GPS position (no orientation: the pixels are upright). */
export function exifBlock(meta: PhotoMeta): Uint8Array | null {
  const exif: Tag[] = []
  if (meta.taken_at) {
    exif.push({ tag: 0x9000, type: UNDEFINED, count: 4, bytes: new Uint8Array([...'0232'].map((c) => c.charCodeAt(0))) })
    exif.push(ascii(0x9003, meta.taken_at))
    if (meta.offset) exif.push(ascii(0x9011, meta.offset))
  }
  const gps: Tag[] = []
  if (meta.lat !== undefined && meta.lng !== undefined) {
    gps.push({ tag: 0, type: BYTE, count: 4, bytes: new Uint8Array([2, 2, 0, 0]) })
    gps.push(ascii(1, meta.lat < 0 ? 'S' : 'N'), rationals(2, dms(meta.lat)))
    gps.push(ascii(3, meta.lng < 0 ? 'W' : 'E'), rationals(4, dms(meta.lng)))
    if (meta.alt !== undefined) {
      gps.push({ tag: 5, type: BYTE, count: 1, bytes: new Uint8Array([meta.alt < 0 ? 1 : 0]) })
      gps.push(rationals(6, [[Math.round(Math.abs(meta.alt) * 100), 100]]))
    }
  }
  if (!exif.length && !gps.length) return null
  // IFD0 (pointers only) at 8, then the Exif IFD, then the GPS IFD.
  const ifd0Size = 2 + ((exif.length ? 1 : 0) + (gps.length ? 1 : 0)) * 12 + 4
  const exifAt = 8 + ifd0Size
  const exifIfd = exif.length ? encodeIfd(exif, exifAt) : new Uint8Array(0)
  const gpsAt = exifAt + exifIfd.length
  const gpsIfd = gps.length ? encodeIfd(gps, gpsAt) : new Uint8Array(0)
  const pointers: Tag[] = []
  if (exif.length) pointers.push({ tag: 0x8769, type: LONG, count: 1, bytes: le(exifAt, 4) })
  if (gps.length) pointers.push({ tag: 0x8825, type: LONG, count: 1, bytes: le(gpsAt, 4) })
  const ifd0 = encodeIfd(pointers, 8)
  const tiff = new Uint8Array(8 + ifd0.length + exifIfd.length + gpsIfd.length)
  tiff.set([0x49, 0x49, 42, 0, 8, 0, 0, 0])
  tiff.set(ifd0, 8)
  tiff.set(exifIfd, exifAt)
  tiff.set(gpsIfd, gpsAt)
  return tiff
}

/** The JPEG with an EXIF APP1 carrying `meta` (any EXIF it had is replaced); the image data as it was. */
export function withExif(jpeg: Uint8Array, meta: PhotoMeta): Uint8Array {
  const tiff = exifBlock(meta)
  if (!tiff || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg
  // Drop an existing EXIF APP1 among the leading segments.
  const kept: Uint8Array[] = []
  let p = 2
  while (p + 4 <= jpeg.length && jpeg[p] === 0xff && jpeg[p + 1]! >= 0xe0 && jpeg[p + 1]! <= 0xef) {
    const size = (jpeg[p + 2]! << 8) | jpeg[p + 3]!
    const isExif = jpeg[p + 1] === 0xe1 && String.fromCharCode(...jpeg.subarray(p + 4, p + 8)) === 'Exif'
    if (!isExif) kept.push(jpeg.subarray(p, p + 2 + size))
    p += 2 + size
  }
  const length = 2 + 6 + tiff.length
  const app1 = new Uint8Array(2 + length)
  app1.set([0xff, 0xe1, length >> 8, length & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0])
  app1.set(tiff, 10)
  // After a JFIF APP0 (as exiftool and cameras that write both lay them out), before everything else.
  const jfif = kept.filter((seg) => seg[1] === 0xe0)
  const parts = [jpeg.subarray(0, 2), ...jfif, app1, ...kept.filter((seg) => seg[1] !== 0xe0), jpeg.subarray(p)]
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0))
  let at = 0
  for (const x of parts) (out.set(x, at), (at += x.length))
  return out
}

/**
 * The downscaled JPEG carrying the original's EXIF time and GPS (the canvas drops them). Anything else
 * (not a JPEG, no EXIF time or position in the original) answers `scaled` unchanged.
 */
export async function carryExif(original: Blob, scaled: Blob): Promise<Blob> {
  if (scaled.type !== 'image/jpeg') return scaled
  const meta = await readExif(original).catch(() => null)
  if (!meta) return scaled
  const bytes = withExif(new Uint8Array(await scaled.arrayBuffer()), meta)
  return new Blob([bytes as BlobPart], { type: 'image/jpeg' })
}
