// A feature's write from a screen, through the outbox: queue a mutation of the server's type with the
// HTTP body as payload, then wait briefly for the server's verdict — online the screen gets the server's
// answer (or its refusal, shown in the form as before); offline it gets the local view's copy and the
// record is sent when the network is back. A feature's actions (its actions.ts beside its screens) call
// `queueWrite`; what the mutation does to the local view is its MutationAdapter (registry.ts).
import { offlineDb } from './db'
import { outcome, queueMutation } from './app'
import { getLocalRecord } from './localview'
import { mutationAdapter, type Json } from './registry'

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
 * The EXIF time/GPS of the record's photos, as `photo_meta: {file id: {taken_at, lat, lng}}` (kept with
 * the local file when it was stored). It travels with the mutation (kept in sync_mutations); servers
 * ignore unknown fields.
 */
async function withPhotoMeta(payload: Json, files: string[]): Promise<Json> {
  if (!files.length || payload.photo_meta) return payload
  const rows = await offlineDb().files.bulkGet(files)
  const meta = Object.fromEntries(rows.filter((f) => f?.meta).map((f) => [f!.id, f!.meta]))
  return Object.keys(meta).length ? { ...payload, photo_meta: meta } : payload
}

/** The record the mutation is about, as this phone shows it (for the type's conflict guards). */
async function displayed(type: string, payload: Json): Promise<Json | undefined> {
  const adapter = mutationAdapter(type)
  const id = adapter?.recordField ? payload[adapter.recordField] : undefined
  return adapter && typeof id === 'string' ? getLocalRecord(offlineDb(), adapter.kind, id) : undefined
}

/**
 * Queues a write and answers the server's result when it comes within a moment; otherwise `offline`
 * gives the screen the phone's answer (usually the local view's copy of the record).
 */
export async function queueWrite<T>(mutationId: string, type: string, body: object, offline: (recordId: string, mutationId: string) => Promise<T>): Promise<T> {
  const payload = body as Json
  const files = fileIdsOf(payload)
  const guard = mutationAdapter(type)?.guard
  const guarded = guard ? guard({ ...payload }, await displayed(type, payload)) : payload
  const m = await queueMutation({ id: mutationId, type, payload: await withPhotoMeta(guarded, files), files })
  const o = await outcome(m.id)
  if (o.state === 'synced' && o.result) return o.result as T
  return offline(m.record_id, m.id)
}
