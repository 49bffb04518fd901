import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseExif, withExif, carryExif } from './exif'
import { downscaleImage, scaledSize } from './image'
import { EXIF_PHOTO_BASE64 } from './fixtures/exif-photo'

// A real JPEG (libjpeg via libvips) with real EXIF (libexif): DateTimeOriginal 2026:11:28 14:03:07 +08:00,
// GPS 31° 13' 30.15" N, 121° 28' 18.01" E, 12.5 m. Made by fixtures/make-exif-photo.c.
const photo = Uint8Array.from(atob(EXIF_PHOTO_BASE64), (c) => c.charCodeAt(0))
const buf = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer

/** What a canvas gives: the same kind of JPEG with its EXIF stripped (JFIF APP0 kept, image data as it was). */
function stripExif(jpeg: Uint8Array): Uint8Array<ArrayBuffer> {
  const out: number[] = [0xff, 0xd8]
  let p = 2
  while (jpeg[p] === 0xff && jpeg[p + 1]! >= 0xe0 && jpeg[p + 1]! <= 0xef) {
    const size = (jpeg[p + 2]! << 8) | jpeg[p + 3]!
    if (jpeg[p + 1] !== 0xe1) out.push(...jpeg.subarray(p, p + 2 + size))
    p += 2 + size
  }
  out.push(...jpeg.subarray(p))
  return new Uint8Array(out)
}

// Expected values computed by hand from the fixture's rationals.
const LAT = 31 + 13 / 60 + 30.15 / 3600 // 31.2250417
const LNG = 121 + 28 / 60 + 18.01 / 3600 // 121.4716694

describe('the real EXIF photo', () => {
  it('reads its time, zone, position and altitude', () => {
    const meta = parseExif(buf(photo))!
    expect(meta.taken_at).toBe('2026:11:28 14:03:07')
    expect(meta.offset).toBe('+08:00')
    expect(meta.lat).toBeCloseTo(LAT, 6)
    expect(meta.lng).toBeCloseTo(LNG, 6)
    expect(meta.alt).toBe(12.5)
  })
})

describe('downscaled photos keep the original EXIF time and GPS', () => {
  it('a stripped JPEG gets them back and its image data is untouched', () => {
    const stripped = stripExif(photo)
    expect(parseExif(buf(stripped))).toBeNull()
    const carried = withExif(stripped, parseExif(buf(photo))!)
    const meta = parseExif(buf(carried))!
    expect(meta.taken_at).toBe('2026:11:28 14:03:07')
    expect(meta.offset).toBe('+08:00')
    expect(meta.lat).toBeCloseTo(LAT, 6)
    expect(meta.lng).toBeCloseTo(LNG, 6)
    expect(meta.alt).toBe(12.5)
    // Only an APP1 was added: everything from the first non-APP segment on is byte for byte the same.
    const sos = (b: Uint8Array) => {
      let p = 2
      while (b[p] === 0xff && b[p + 1]! >= 0xe0 && b[p + 1]! <= 0xef) p += 2 + ((b[p + 2]! << 8) | b[p + 3]!)
      return b.subarray(p)
    }
    expect(sos(carried)).toEqual(sos(stripped))
    // No APP0 here: the EXIF APP1 comes right after SOI.
    expect([...carried.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe1])
  })

  it('puts EXIF after a JFIF APP0, as a canvas JPEG has one', () => {
    // JFIF 1.01, no thumbnail: FF E0, length 16, "JFIF\0", version, units, density 1×1, thumbnail 0×0.
    const jfif = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    const stripped = stripExif(photo)
    const canvasLike = new Uint8Array([0xff, 0xd8, ...jfif, ...stripped.subarray(2)])
    const carried = withExif(canvasLike, { taken_at: '2026:11:28 14:03:07', lat: LAT, lng: LNG })
    expect([...carried.subarray(0, 2 + jfif.length)]).toEqual([0xff, 0xd8, ...jfif])
    expect([...carried.subarray(2 + jfif.length, 4 + jfif.length)]).toEqual([0xff, 0xe1])
    expect(parseExif(buf(carried))!.taken_at).toBe('2026:11:28 14:03:07')
  })

  it('carryExif does it for Blobs, and replaces rather than duplicates an EXIF block', async () => {
    const original = new Blob([photo], { type: 'image/jpeg' })
    const scaled = new Blob([stripExif(photo)], { type: 'image/jpeg' })
    const out = await carryExif(original, scaled)
    expect(out.type).toBe('image/jpeg')
    const bytes = new Uint8Array(await out.arrayBuffer())
    expect(parseExif(buf(bytes))!.taken_at).toBe('2026:11:28 14:03:07')
    const twice = withExif(bytes, { taken_at: '2025:01:02 03:04:05' })
    let app1 = 0
    for (let i = 0; i + 5 < twice.length; i++) if (twice[i] === 0xff && twice[i + 1] === 0xe1 && String.fromCharCode(...twice.subarray(i + 4, i + 8)) === 'Exif') app1++
    expect(app1).toBe(1)
    expect(parseExif(buf(twice))).toEqual({ taken_at: '2025:01:02 03:04:05' })
  })

  it('leaves alone what it cannot carry: no EXIF in the original, or not a JPEG', async () => {
    const plain = new Blob([stripExif(photo)], { type: 'image/jpeg' })
    const scaled = new Blob([stripExif(photo)], { type: 'image/jpeg' })
    expect(await carryExif(plain, scaled)).toBe(scaled)
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' })
    expect(await carryExif(new Blob([photo], { type: 'image/jpeg' }), png)).toBe(png)
    // Southern and western positions and a place below sea level keep their signs.
    const south = withExif(stripExif(photo), { lat: -33.8688, lng: -70.6693, alt: -4.25 })
    expect(parseExif(buf(south))).toEqual({ lat: -33.8688, lng: -70.6693, alt: -4.25 })
  })
})

describe('scaledSize', () => {
  it('fits the long edge, keeping the aspect ratio', () => {
    expect(scaledSize(4000, 3000, 1920)).toEqual({ width: 1920, height: 1440 })
    expect(scaledSize(800, 600, 1920)).toEqual({ width: 800, height: 600 })
  })
})

describe('downscaleImage', () => {
  afterEach(() => vi.restoreAllMocks())

  it('the downscaled JPEG carries the original EXIF time and GPS', async () => {
    // The browser's part (decode, draw, encode) is stood in for: the canvas gives what a canvas gives,
    // a JPEG without EXIF. Everything after it is the real path.
    vi.stubGlobal('createImageBitmap', vi.fn(async () => ({ width: 4000, height: 3000, close: () => undefined })))
    let drawnSize: [number, number] = [0, 0]
    const canvas = {
      width: 0,
      height: 0,
      getContext: () => ({ drawImage: (_b: unknown, _x: number, _y: number, w: number, h: number) => (drawnSize = [w, h]) }),
      toBlob: (cb: (b: Blob | null) => void, type: string) => cb(new Blob([stripExif(photo)], { type })),
    }
    const create = document.createElement.bind(document)
    vi.spyOn(document, 'createElement').mockImplementation(((tag: string) => (tag === 'canvas' ? canvas : create(tag))) as typeof document.createElement)
    // A phone photo: the fixture plus the bulk of a camera file after it.
    const original = new Blob([photo, new Uint8Array(200_000)], { type: 'image/jpeg' })

    const out = await downscaleImage(original, { keepBelow: 100_000 })

    expect(drawnSize).toEqual([1920, 1440])
    expect(out).not.toBe(original)
    expect(out.type).toBe('image/jpeg')
    const before = parseExif(buf(photo))!
    const after = parseExif(await out.arrayBuffer())!
    expect(after.taken_at).toBe(before.taken_at)
    expect(after.offset).toBe(before.offset)
    expect(after.lat).toBeCloseTo(before.lat!, 6)
    expect(after.lng).toBeCloseTo(before.lng!, 6)
    expect(after.alt).toBe(before.alt)
    vi.unstubAllGlobals()
  })
})
