// The hazard writes of the phone, through the outbox. Same signatures as src/mobile/hazards/actions.ts
// (whose bodies call these): each queues a mutation of the server's type with the HTTP body as payload,
// then waits briefly for the server's verdict — online the screen gets the server's answer (or its
// refusal, shown in the form as before); offline it gets the local view's copy and the record is sent
// when the network is back.
import { api } from '../api'
import type { Hazard, HazardExtension } from '../api/hazards'
import { getMeta, offlineDb } from './db'
import { outcome, queueMutation } from './app'
import { keepAndUpload } from './files'
import { readExif } from './exif'
import type { LocalUser } from './localview'

const SHA = /^[0-9a-f]{64}$/

/** File ids (SHA-256) a payload names: photos, evidence[].file_id, signature_file_id, … */
export function fileIdsOf(value: unknown, out = new Set<string>()): string[] {
  if (typeof value === 'string') {
    if (SHA.test(value)) out.add(value)
  } else if (Array.isArray(value)) value.forEach((v) => fileIdsOf(v, out))
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => fileIdsOf(v, out))
  return [...out]
}

/**
 * For the upload step of a form: keeps the Blob on the phone and uploads it when it can. Offline the
 * file's id (its SHA-256) is known all the same and the form can be submitted; the outbox uploads the
 * bytes before the record. Refusals by the server (type, size) are thrown as from uploadBlob.
 */
export async function keepAndUploadFile(blob: Blob, original?: Blob): Promise<{ id: string; uploaded: boolean }> {
  // EXIF time/GPS from the original (downscaling drops it), kept with the file and sent with the record.
  const meta = await readExif(original ?? blob).catch(() => null)
  const r = await keepAndUpload(offlineDb(), api, blob, meta as Record<string, unknown> | null)
  return { id: r.id, uploaded: !r.local }
}

type Payload = Record<string, unknown> & { hazard_id?: string }

/** The values the phone displayed, so a stale offline action is refused rather than applied (docs/sync.md). */
async function withConflictGuards(type: string, payload: Payload): Promise<Payload> {
  if (!payload.hazard_id) return payload
  const h = (await offlineDb().hazards.get(payload.hazard_id))?.data
  if (!h) return payload
  const out = { ...payload }
  if (type !== 'hazard.verify' && out.assignment_no === undefined && typeof h.assignment_no === 'number' && h.assignment_no > 0) out.assignment_no = h.assignment_no
  if (type === 'hazard.verify' && out.round === undefined && Array.isArray(h.rectifications)) {
    const rounds = (h.rectifications as Array<{ round?: unknown }>).map((r) => r.round).filter((r): r is number => typeof r === 'number')
    if (rounds.length) out.round = Math.max(...rounds)
  }
  return out
}

/**
 * The EXIF time/GPS of the record's photos, as `photo_meta: {file id: {taken_at, lat, lng}}`. The server
 * has no field for it yet and ignores unknown fields; it travels with the mutation (kept in sync_mutations).
 */
async function withPhotoMeta(payload: Payload, files: string[]): Promise<Payload> {
  if (!files.length || payload.photo_meta) return payload
  const rows = await offlineDb().files.bulkGet(files)
  const meta = Object.fromEntries(rows.filter((f) => f?.meta).map((f) => [f!.id, f!.meta]))
  return Object.keys(meta).length ? { ...payload, photo_meta: meta } : payload
}

async function write<T>(mutationId: string, type: string, body: object, offline: (recordId: string, mutationId: string) => Promise<T>): Promise<T> {
  const payload = body as Payload
  const files = fileIdsOf(payload)
  const guarded = await withPhotoMeta(await withConflictGuards(type, payload), files)
  const m = await queueMutation({ id: mutationId, type, payload: guarded, files })
  const o = await outcome(m.id)
  if (o.state === 'synced' && o.result) return o.result as T
  return offline(m.record_id, m.id)
}

async function localHazard(recordId: string): Promise<Hazard> {
  const h = await offlineDb().hazards.get(recordId)
  if (!h) throw new Error(`hazard ${recordId} is not on this phone`)
  return h.data as unknown as Hazard
}

export const queueReport = (mutationId: string, payload: object) => write<Hazard>(mutationId, 'hazard.create', payload, localHazard)
export const queueAccept = (mutationId: string, payload: object) => write<Hazard>(mutationId, 'hazard.accept', payload, localHazard)
export const queueRectify = (mutationId: string, payload: object) => write<Hazard>(mutationId, 'hazard.rectify', payload, localHazard)
export const queueVerify = (mutationId: string, payload: object) => write<Hazard>(mutationId, 'hazard.verify', payload, localHazard)
export const queueExtension = (mutationId: string, payload: object) =>
  write<HazardExtension>(mutationId, 'hazard.extension', payload, async (recordId, id) => {
    const me = await getMeta<LocalUser>(offlineDb(), 'me')
    const h = (await offlineDb().hazards.get(recordId))?.data
    const now = new Date().toISOString()
    return {
      id,
      hazard_id: recordId,
      requested_by: me?.id ?? '',
      requested_at: now,
      reason: String((payload as Payload).reason ?? ''),
      old_due_at: String(h?.due_at ?? now),
      new_due_at: String((payload as Payload).new_due_at ?? now),
      approver_id: null,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      comment: null,
    }
  })
