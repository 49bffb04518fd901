// SHA-256 of a Blob in the browser (the server names stored files by it). crypto.subtle exists only
// in secure contexts (https, localhost): elsewhere this answers null and the caller just uploads.
export async function sha256Hex(blob: Blob): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) return null
  const digest = await subtle.digest('SHA-256', await blob.arrayBuffer())
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
