// The outbox: every write the worker makes, kept in IndexedDB in the order made, until the server has
// taken it. States: waiting → sending → synced, or refused (the server's reason is kept and shown; the
// worker fixes the record and sends it again under a new id, or discards it).
import { newId } from '../util/ids'
import { isOpen, plain, type MutationError, type OfflineDb, type OutboxMutation, type MutationState } from './db'
import { applyOptimistic, restoreServerCopy, storeServerRecord } from './localview'
import { kindOf, mutationAdapter, recordKind } from './registry'

export interface EnqueueInput {
  /** The client's mutation id; a retry of the same user action passes the same id. */
  id?: string
  type: string
  payload: Record<string, unknown>
  /** SHA-256 ids of local files the payload references. */
  files?: string[]
  /** The record the mutation is about (defaults to the payload field its type names, payload.id, then the mutation id). */
  record_id?: string
  user_id?: string
}

export interface SyncResult {
  id: string
  status: 'applied' | 'duplicate' | 'rejected'
  result?: unknown
  error?: MutationError
}

const iso = (now: Date) => now.toISOString()

function recordOf(input: EnqueueInput, id: string): string {
  const p = input.payload
  if (input.record_id) return input.record_id
  const field = mutationAdapter(input.type)?.recordField
  if (field && typeof p[field] === 'string') return p[field]
  if (typeof p.id === 'string') return p.id
  return id
}

/**
 * Queues a mutation and applies it to the local view at once. The same id queued again (a retry of the
 * same action) returns the existing entry; an id the server refused gets a new one, since the server
 * remembers its refusal under the old id.
 */
export async function enqueue(db: OfflineDb, input: EnqueueInput, now = new Date()): Promise<OutboxMutation> {
  return db.transaction('rw', db.outbox, db.records, db.meta, async () => {
    let id = input.id ?? newId()
    const existing = await db.outbox.where('id').equals(id).first()
    if (existing && existing.state !== 'refused') return existing
    if (existing) {
      await db.outbox.delete(existing.seq!)
      id = newId()
    }
    const payload = plain(input.payload)
    // A create: the new record's id must not change when the mutation id does (fix and resend).
    if (mutationAdapter(input.type)?.creates && typeof payload.id !== 'string') payload.id = input.id ?? id
    const m: OutboxMutation = {
      id,
      type: input.type,
      payload,
      created_at: iso(now),
      state: 'waiting',
      error: null,
      attempts: 0,
      files: [...new Set(input.files ?? [])],
      record_id: recordOf({ ...input, payload }, id),
      updated_at: iso(now),
      synced_at: null,
      user_id: input.user_id ?? '',
    }
    m.seq = await db.outbox.add(m)
    await applyOptimistic(db, m)
    return m
  })
}

/** Mutations to send, oldest first (`sending` ones left by a crashed run are sent again). */
export async function pendingMutations(db: OfflineDb, userId?: string): Promise<OutboxMutation[]> {
  const rows = await db.outbox.where('state').anyOf('waiting', 'sending').toArray()
  return rows.filter((m) => !userId || !m.user_id || m.user_id === userId).sort((a, b) => a.seq! - b.seq!)
}

/** Splits into batches of at most `size`, keeping the order. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error('batch size must be at least 1')
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export async function markSending(db: OfflineDb, ms: OutboxMutation[], now = new Date()): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    for (const m of ms) await db.outbox.update(m.seq!, { state: 'sending', attempts: (m.attempts ?? 0) + 1, updated_at: iso(now) })
  })
}

/** The batch did not get an answer (network, timeout, 5xx): all of it goes back to waiting. */
export async function markUnsent(db: OfflineDb, ms: OutboxMutation[], error: MutationError, now = new Date()): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    for (const m of ms) await db.outbox.update(m.seq!, { state: 'waiting', error: plain(error), updated_at: iso(now) })
  })
}

export async function markRefused(db: OfflineDb, m: OutboxMutation, error: MutationError, now = new Date()): Promise<void> {
  await db.outbox.update(m.seq!, { state: 'refused', error: plain(error), updated_at: iso(now) })
}

const creates = (type: string) => mutationAdapter(type)?.creates ?? type.endsWith('.create')

/**
 * `not_found` is retryable because the record may be created by a mutation still waiting on this phone.
 * When no such create is queued here, the record came from the server and is gone from this user's
 * view (e.g. reassigned outside their scope while they were offline): waiting cannot help — refused.
 */
async function notFoundForGood(db: OfflineDb, m: OutboxMutation, error: MutationError): Promise<boolean> {
  if (error.code !== 'not_found' || creates(m.type)) return false
  const queued = await db.outbox
    .where('record_id')
    .equals(m.record_id)
    .filter((x) => x.id !== m.id && creates(x.type) && x.state !== 'synced' && !x.handled)
    .count()
  return queued === 0
}

/**
 * Applies the server's answer: applied/duplicate → synced (the answer's record goes into the local
 * view), rejected → refused, or waiting again when the server says the same mutation may succeed later
 * (`retryable`: a file not uploaded yet, a record whose create is still queued). A mutation the answer
 * does not mention goes back to waiting.
 */
export async function applyResults(db: OfflineDb, sent: OutboxMutation[], results: SyncResult[], now = new Date()): Promise<{ synced: number; refused: number; retry: number }> {
  const byId = new Map(results.map((r) => [r.id, r]))
  const counts = { synced: 0, refused: 0, retry: 0 }
  await db.transaction('rw', db.outbox, db.records, db.files, async () => {
    for (const m of sent) {
      const r = byId.get(m.id)
      let state: MutationState = 'waiting'
      const changes: Partial<OutboxMutation> = { updated_at: iso(now) }
      if (r && (r.status === 'applied' || r.status === 'duplicate')) {
        state = 'synced'
        changes.synced_at = iso(now)
        changes.error = null
        if (r.result !== undefined) changes.result = plain(r.result)
        counts.synced++
      } else if (r && r.status === 'rejected') {
        const error = r.error ?? { code: 'rejected', message: 'rejected' }
        changes.error = plain(error)
        if (error.retryable && !(await notFoundForGood(db, m, error))) counts.retry++
        else {
          state = 'refused'
          counts.refused++
        }
      } else {
        counts.retry++
      }
      changes.state = state
      await db.outbox.update(m.seq!, changes)
      if (state === 'synced') {
        for (const f of m.files) await db.files.update(f, { uploaded: 1 })
        const kind = kindOf(m.type)
        if (kind && recordKind(kind)?.isRecord(r?.result)) await storeServerRecord(db, kind, r!.result as Record<string, unknown>, iso(now))
        else if (kind && !(await db.outbox.where('record_id').equals(m.record_id).filter(isOpen).count())) {
          await db.records.update([kind, m.record_id], { pending: 0 })
        }
      }
    }
  })
  return counts
}

/** Refused records are fixed and sent again as a new mutation; the refused one leaves the outbox. */
export async function resend(db: OfflineDb, id: string, payload?: Record<string, unknown>, now = new Date()): Promise<OutboxMutation> {
  const old = await db.outbox.where('id').equals(id).first()
  if (!old) throw new Error(`no mutation ${id}`)
  return db.transaction('rw', db.outbox, db.records, db.meta, async () => {
    await db.outbox.delete(old.seq!)
    return enqueue(db, { type: old.type, payload: payload ?? old.payload, files: old.files, record_id: old.record_id, user_id: old.user_id }, now)
  })
}

/** Drops a refused (or waiting) mutation; the record shows the server's last copy again. */
export async function discard(db: OfflineDb, id: string): Promise<void> {
  await db.transaction('rw', db.outbox, db.records, async () => {
    const m = await db.outbox.where('id').equals(id).first()
    if (!m) return
    await db.outbox.delete(m.seq!)
    await restoreServerCopy(db, kindOf(m.type), m.record_id)
  })
}

/**
 * Sends everything again, synced records included (a repair tool on the status screen, and the e2e test
 * of idempotency): the server answers `duplicate` for what it has and creates nothing twice.
 */
export async function requeueAll(db: OfflineDb, now = new Date()): Promise<number> {
  return db.transaction('rw', db.outbox, async () =>
    db.outbox.where('state').anyOf('synced', 'sending').modify({ state: 'waiting', updated_at: iso(now) }),
  )
}

export interface OutboxCounts {
  waiting: number
  sending: number
  synced: number
  refused: number
}

export async function outboxCounts(db: OfflineDb): Promise<OutboxCounts> {
  const c: OutboxCounts = { waiting: 0, sending: 0, synced: 0, refused: 0 }
  await db.outbox.each((m) => {
    if (!m.handled) c[m.state]++
  })
  return c
}

/** Synced (and form-handled refused) entries older than `keepMs` leave the outbox, with the local files only they needed. */
export async function pruneSynced(db: OfflineDb, keepMs: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - keepMs).toISOString()
  return db.transaction('rw', db.outbox, db.files, async () => {
    const old = await db.outbox.filter((m) => (m.state === 'synced' && (m.synced_at ?? '') < before) || (!!m.handled && m.updated_at < before)).toArray()
    await db.outbox.bulkDelete(old.map((m) => m.seq!))
    const stillNeeded = new Set((await db.outbox.toArray()).flatMap((m) => m.files))
    const files = old.flatMap((m) => m.files).filter((f) => !stillNeeded.has(f))
    await db.files.bulkDelete(files)
    return old.length
  })
}
