// Uploads a Blob to the content-addressed file store once: hash it, ask `HEAD /files/{sha}`, and
// `POST /files` (raw body) only when the server does not have it yet. Photos taken twice, retries
// after a dropped connection and the offline outbox all avoid sending the same bytes again.
import { api as defaultApi } from '../api'
import type { ApiClient, RequestOptions } from '../api/client'
import { isApiError } from '../api/errors'
import type { StoredFile } from '../api/types'
import { sha256Hex } from './hash'

export interface UploadResult {
  /** The file id (sha256 hex) to put into hazard bodies. */
  id: string
  /** False when the server already had the bytes and nothing was sent. */
  uploaded: boolean
  size: number
  content_type: string
}

export interface UploadOptions {
  client?: ApiClient
  signal?: AbortSignal
  timeoutMs?: number
}

/** True when the server already stores a file with this sha256 (404 → false; other errors are thrown). */
export async function fileExists(sha256: string, options: UploadOptions = {}): Promise<boolean> {
  const client = options.client ?? defaultApi
  try {
    // The client's method list has no HEAD; the request is otherwise an ordinary authenticated GET.
    await client.request<void>(`/files/${sha256}`, { method: 'HEAD' as RequestOptions['method'], ...(options.signal ? { signal: options.signal } : {}) })
    return true
  } catch (e) {
    if (isApiError(e) && e.status === 404) return false
    throw e
  }
}

export async function uploadBlob(blob: Blob, options: UploadOptions = {}): Promise<UploadResult> {
  const client = options.client ?? defaultApi
  const sha = await sha256Hex(blob)
  if (sha && (await fileExists(sha, options))) {
    return { id: sha, uploaded: false, size: blob.size, content_type: blob.type }
  }
  const stored = await client.post<StoredFile>('/files', undefined, {
    rawBody: blob,
    timeoutMs: options.timeoutMs ?? 120_000,
    ...(options.signal ? { signal: options.signal } : {}),
  })
  return { id: stored.id, uploaded: true, size: stored.size, content_type: stored.content_type }
}
