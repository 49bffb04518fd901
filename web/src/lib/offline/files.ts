// Photos and videos the worker takes are kept on the phone as Blobs, named by their SHA-256 — which is
// the id the server gives a file, so a record can name its photos before any byte has left the phone.
// Before a mutation is sent its files are uploaded: not at all when `HEAD /files/{sha}` says the server
// has them, in one `POST /files` when small, and through a resumable upload session when large
// (after a dropped connection the next attempt continues from the server's `received` offset).
import type { ApiClient } from '../api/client'
import { isApiError } from '../api/errors'
import { keepFile } from './keep'
import type { RequestOptions } from '../api/client'
import type { LocalFile, OfflineDb } from './db'

/** Files above this size go through the resumable chunked upload. */
export const CHUNKED_ABOVE = 2 * 1024 * 1024
/** Chunk size (the server allows up to its `chunk_max`, 8 MB); small chunks waste less on a drop. */
export const CHUNK_BYTES = 1024 * 1024

export { keepFile, LocalFileError } from './keep'

/**
 * Marks the outbox's own file requests: the service worker answers a form's upload from the phone when
 * there is no network, but never these — the outbox must learn whether the server really has the bytes.
 */
export const OUTBOX_HEADER = 'X-SafeLoop-Outbox'
const outboxHeaders = { [OUTBOX_HEADER]: '1' }

/** True when the server stores a file with this sha256 (404 → false; other errors are thrown). */
export async function serverHasFile(client: ApiClient, sha256: string): Promise<boolean> {
  try {
    await client.request<void>(`/files/${sha256}`, { method: 'HEAD' as RequestOptions['method'], headers: outboxHeaders })
    return true
  } catch (e) {
    if (isApiError(e) && e.status === 404) return false
    throw e
  }
}

interface UploadSession {
  upload_id: string | null
  complete: boolean
  received?: number
  chunk_max?: number
}

export interface ChunkOptions {
  chunkBytes?: number
  /** Called after each chunk the server took (bytes received so far). */
  onProgress?: (received: number, size: number) => void
}

/** Resumable upload of one Blob (starting again with the same hash resumes the server's session). */
export async function uploadChunked(client: ApiClient, sha256: string, blob: Blob, options: ChunkOptions = {}): Promise<void> {
  const size = blob.size
  const contentType = blob.type || 'application/octet-stream'
  const session = await client.post<UploadSession>('/files/uploads', { sha256, size, content_type: contentType }, { headers: outboxHeaders })
  if (session.complete || !session.upload_id) return
  const chunk = Math.max(1, Math.min(options.chunkBytes ?? CHUNK_BYTES, session.chunk_max ?? CHUNK_BYTES))
  let received = session.received ?? 0
  for (let guard = 0; received < size; guard++) {
    if (guard > Math.ceil(size / chunk) * 3 + 10) throw new Error('upload makes no progress')
    const end = Math.min(size, received + chunk)
    try {
      const r = await client.request<UploadSession>(`/files/uploads/${session.upload_id}`, {
        method: 'PUT',
        rawBody: blob.slice(received, end, 'application/octet-stream'),
        headers: { 'Content-Range': `bytes ${received}-${end - 1}/${size}`, ...outboxHeaders },
        timeoutMs: 120_000,
      })
      if (r.complete) return
      received = r.received ?? end
    } catch (e) {
      // A chunk sent twice (its answer was lost): continue from where the server stands.
      if (isApiError(e) && e.code === 'offset_mismatch' && typeof e.body.received === 'number') received = e.body.received
      else throw e
    }
    options.onProgress?.(received, size)
  }
}

/** Makes sure the server holds a local file. Files this phone never stored are left to the server to judge. */
export async function uploadLocalFile(db: OfflineDb, client: ApiClient, id: string, options: ChunkOptions = {}): Promise<'absent' | 'present' | 'uploaded'> {
  const f: LocalFile | undefined = await db.files.get(id)
  if (!f) return 'absent'
  if (f.uploaded) return 'present'
  if (await serverHasFile(client, id)) {
    await db.files.update(id, { uploaded: 1 })
    return 'present'
  }
  if (f.size > CHUNKED_ABOVE) await uploadChunked(client, id, f.blob, options)
  else await client.post('/files', undefined, { rawBody: f.blob, timeoutMs: 120_000, headers: outboxHeaders })
  await db.files.update(id, { uploaded: 1 })
  return 'uploaded'
}

/**
 * For the screens: keep the Blob and try to upload it now. Offline (no answer) the file stays on the
 * phone and its id is returned all the same — the outbox uploads it before the record that names it.
 * A refusal by the server (type not allowed, too large) is thrown as before.
 */
export async function keepAndUpload(db: OfflineDb, client: ApiClient, blob: Blob, meta: Record<string, unknown> | null = null): Promise<{ id: string; local: boolean }> {
  const id = await keepFile(db, blob, meta)
  try {
    await uploadLocalFile(db, client, id)
    return { id, local: false }
  } catch (e) {
    if (isApiError(e) && (e.isNetwork || e.code === 'timeout' || e.status >= 500)) return { id, local: true }
    throw e
  }
}
