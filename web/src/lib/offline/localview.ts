// The local view: records as the phone last knew them, with what it did offline applied at once
// (optimistic). The app reads it through the ordinary API calls — when the network is gone the features'
// local reads answer from here (registry.ts) — and the sync status screen and badges read the outbox
// beside it. What a mutation does to a record is the feature's business (its MutationAdapter).
import type { OfflineDb, LocalRecord, OutboxMutation } from './db'
import { getMeta, isOpen, plain } from './db'
import { mutationAdapter, type Json, type LocalUser, type OptimisticContext } from './registry'

export type { LocalUser } from './registry'

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

export async function getRecord(db: OfflineDb, kind: string, id: string): Promise<LocalRecord | undefined> {
  return db.records.get([kind, id])
}

/** The record's data as the phone shows it (the server's copy with unsent changes applied). */
export async function getLocalRecord(db: OfflineDb, kind: string, id: string): Promise<Json | undefined> {
  return (await getRecord(db, kind, id))?.data
}

/** Every record of a kind, as the phone shows them. */
export async function listLocalRecords(db: OfflineDb, kind: string): Promise<Json[]> {
  return (await db.records.where('kind').equals(kind).toArray()).map((r) => r.data)
}

export function optimisticContext(db: OfflineDb): OptimisticContext {
  return { db, me: undefined, meta: (key) => getMeta(db, key) }
}

/** Applies a just-queued mutation to the local view (inside the caller's transaction). */
export async function applyOptimistic(db: OfflineDb, m: OutboxMutation): Promise<void> {
  const adapter = mutationAdapter(m.type)
  if (!adapter) return // a type no feature registered: the outbox sends it, the local view is left alone
  const key: [string, string] = [adapter.kind, m.record_id]
  const existing = await db.records.get(key)
  const ctx = { ...optimisticContext(db), me: await getMeta<LocalUser>(db, 'me') }
  if (adapter.creates) {
    if (existing && existing.pending === 0) return // the server already knows it (a re-send)
    const data = await adapter.apply(undefined, m, ctx)
    if (!data) return
    await db.records.put({ kind: adapter.kind, id: m.record_id, data: plain(data), pending: 1, updated_at: m.created_at, server: existing?.server ?? null })
    return
  }
  if (!existing) return
  const data = await adapter.apply(existing.data, m, ctx)
  if (!data) return
  await db.records.put({
    ...existing,
    data: plain(data),
    pending: 1,
    updated_at: m.created_at,
    server: existing.pending === 0 ? existing.data : (existing.server ?? null),
  })
}

/** True when the outbox still holds something of this record that the server has not taken. */
export async function hasUnsynced(db: OfflineDb, recordId: string): Promise<boolean> {
  return (await db.outbox.where('record_id').equals(recordId).filter(isOpen).count()) > 0
}

/** Stores the server's copy of a record; what the phone still has to send stays applied on top. */
export async function storeServerRecord(db: OfflineDb, kind: string, data: Json, now: string): Promise<void> {
  const id = str(data.id)
  if (!id) return
  const copy = plain(data)
  const existing = await db.records.get([kind, id])
  if (existing && (await hasUnsynced(db, id))) {
    await db.records.put({ ...existing, server: copy })
    return
  }
  // A write's answer may be the record without its detail (history, attachments…): keep what the phone
  // held for those until the next pull brings the full detail, so a detail screen can still render.
  const merged = { ...(existing?.data ?? {}), ...copy }
  await db.records.put({ kind, id, data: merged, pending: 0, updated_at: now, server: merged })
}

/** Drops a record the server no longer shows this user, unless the phone still has something of it to send. */
export async function removeRecord(db: OfflineDb, kind: string, id: string): Promise<void> {
  if (!(await hasUnsynced(db, id))) await db.records.delete([kind, id])
}

/** After a refusal or discard left nothing to send: back to the server's copy, or gone if the server never had it. */
export async function restoreServerCopy(db: OfflineDb, kind: string | undefined, recordId: string): Promise<void> {
  if (!kind || (await hasUnsynced(db, recordId))) return
  const r = await db.records.get([kind, recordId])
  if (!r) return
  if (r.server) await db.records.put({ ...r, data: r.server, pending: 0 })
  else await db.records.delete([kind, recordId])
}
