// Keeping a Blob on the phone under its SHA-256 (also used by the service worker, so nothing here may
// reach for the API client or localStorage).
import { sha256Hex } from '../files/hash'
import type { OfflineDb } from './db'

export class LocalFileError extends Error {}

/** Keeps a Blob on the phone; answers its id (SHA-256). Needs a secure context (crypto.subtle). */
export async function keepFile(db: OfflineDb, blob: Blob, meta: Record<string, unknown> | null = null, now = new Date()): Promise<string> {
  const id = await sha256Hex(blob)
  if (!id) throw new LocalFileError('SHA-256 is not available here (the app needs https or localhost)')
  const existing = await db.files.get(id)
  if (!existing) {
    await db.files.put({ id, blob, content_type: blob.type || 'application/octet-stream', size: blob.size, created_at: now.toISOString(), uploaded: 0, meta })
  } else if (meta && !existing.meta) {
    await db.files.update(id, { meta })
  }
  return id
}

