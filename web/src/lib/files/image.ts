// Phone photos are 3–8 MB; evidence needs to be legible, not print quality. Downscale large images to
// at most `maxEdge` pixels on the long side as JPEG before uploading; small ones are kept as they are.
// The downscaled JPEG keeps the original's EXIF time and GPS (issue 5), which the server reads from it.
import { carryExif } from './exif'

export interface DownscaleOptions {
  maxEdge?: number
  quality?: number
  /** Files at most this big are kept unchanged (bytes). */
  keepBelow?: number
}

export function scaledSize(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const long = Math.max(width, height)
  if (long <= maxEdge) return { width, height }
  const f = maxEdge / long
  return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) }
}

export async function downscaleImage(file: Blob, options: DownscaleOptions = {}): Promise<Blob> {
  const { maxEdge = 1920, quality = 0.85, keepBelow = 600_000 } = options
  if (!file.type.startsWith('image/') || file.type === 'image/gif' || file.type === 'image/svg+xml') return file
  if (file.size <= keepBelow || typeof createImageBitmap !== 'function') return file
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    return file // a format the browser cannot decode: let the server decide
  }
  try {
    const size = scaledSize(bitmap.width, bitmap.height, maxEdge)
    const canvas = document.createElement('canvas')
    canvas.width = size.width
    canvas.height = size.height
    const ctx = canvas.getContext('2d')
    if (!ctx) return file
    ctx.drawImage(bitmap, 0, 0, size.width, size.height)
    const drawn = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality))
    const out = drawn ? await carryExif(file, drawn) : null
    return out && out.size < file.size ? out : file
  } finally {
    bitmap.close()
  }
}
