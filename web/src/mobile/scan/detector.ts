// QR decoding: the browser's own BarcodeDetector where it has one that reads QR codes (Android
// Chrome), else the barcode-detector polyfill (ZXing compiled to WebAssembly). The .wasm file is
// part of our build output and served by SafeLoop itself — never fetched from a CDN.
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url'

export type DetectorEngine = 'native' | 'polyfill'

export interface QrDetector {
  engine: DetectorEngine
  /** Decoded texts of every QR code in the image or video frame (may be empty). */
  detect(source: ImageBitmapSource): Promise<string[]>
}

interface DetectorLike {
  detect(source: ImageBitmapSource): Promise<Array<{ rawValue: string }>>
}
interface DetectorConstructor {
  new (options?: { formats: string[] }): DetectorLike
  getSupportedFormats(): Promise<string[]>
}

/** The URL our build gives the ZXing wasm (same origin as the app). */
export const ZXING_WASM_URL = wasmUrl

let cached: Promise<QrDetector> | null = null

export function createQrDetector(): Promise<QrDetector> {
  cached ??= build().catch((e: unknown) => {
    cached = null
    throw e
  })
  return cached
}

async function build(): Promise<QrDetector> {
  const native = (globalThis as { BarcodeDetector?: DetectorConstructor }).BarcodeDetector
  if (native) {
    try {
      if ((await native.getSupportedFormats()).includes('qr_code')) return wrap(new native({ formats: ['qr_code'] }), 'native')
    } catch {
      // Fall through to the polyfill.
    }
  }
  const { BarcodeDetector, prepareZXingModule } = await import('barcode-detector/ponyfill')
  prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path),
    },
  })
  return wrap(new BarcodeDetector({ formats: ['qr_code'] }) as unknown as DetectorLike, 'polyfill')
}

function wrap(detector: DetectorLike, engine: DetectorEngine): QrDetector {
  return {
    engine,
    async detect(source) {
      const codes = await detector.detect(source)
      return codes.map((c) => c.rawValue).filter((v) => v !== '')
    },
  }
}
