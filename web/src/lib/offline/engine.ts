// The sync engine: pushes the outbox (files first, then mutations in order, at most 100 per POST /sync),
// then pulls GET /sync/changes into the local view. One run at a time across tabs (a Web Lock, or a
// flag in IndexedDB where Web Locks are missing). The scheduler runs it on app start, when the network
// comes back, on demand, and on a timer with exponential backoff while work remains.
import type { ApiClient } from '../api/client'
import { isApiError } from '../api/errors'
import { getMeta, plain, setMeta, type MutationError, type OfflineDb, type OutboxMutation } from './db'
import { backoffMs, type BackoffOptions } from './backoff'
import { uploadLocalFile } from './files'
import { removeRecord, storeServerRecord } from './localview'
import { changeAdapter, type ChangeContext } from './registry'
import { applyResults, markRefused, markSending, markUnsent, pendingMutations, type SyncResult } from './outbox'

export const BATCH_SIZE = 100
const LOCK_NAME = 'safeloop-sync'

export interface SyncEngineOptions {
  db: OfflineDb
  client: ApiClient
  deviceId: string
  userId: string
  batchSize?: number
  now?: () => Date
}

export interface SyncRunReport {
  sent: number
  synced: number
  refused: number
  /** Mutations still waiting (retryable rejections, or a failure stopped the run). */
  remaining: number
  pulled: number
}

export interface SyncStatus {
  last_success_at?: string
  last_attempt_at?: string
  last_error?: (MutationError & { at: string }) | null
  cursor?: string | null
}

function toError(e: unknown): MutationError {
  if (isApiError(e)) return { ...plain(e.body), code: e.code, message: e.message }
  return { code: 'client_error', message: e instanceof Error ? e.message : String(e) }
}

/** No answer from the server (offline, timeout, 5xx, session gone): try the whole batch again later. */
export function isTransient(e: unknown): boolean {
  if (!isApiError(e)) return true
  return e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 408 || e.status === 429
}

export class SyncEngine {
  readonly db: OfflineDb
  private readonly o: Required<Omit<SyncEngineOptions, 'db'>>

  constructor(options: SyncEngineOptions) {
    this.db = options.db
    this.o = { batchSize: BATCH_SIZE, now: () => new Date(), ...options }
  }

  /** Push then pull. Throws when the server could not be reached (the caller backs off). */
  async run(): Promise<SyncRunReport> {
    const at = this.o.now().toISOString()
    await setMeta(this.db, 'last_attempt_at', at)
    try {
      const report = await this.push()
      report.pulled = await this.pull()
      await setMeta(this.db, 'last_success_at', this.o.now().toISOString())
      await setMeta(this.db, 'last_error', null)
      return report
    } catch (e) {
      await setMeta(this.db, 'last_error', { ...toError(e), at })
      throw e
    }
  }

  async push(): Promise<SyncRunReport> {
    const report: SyncRunReport = { sent: 0, synced: 0, refused: 0, remaining: 0, pulled: 0 }
    const tried = new Set<string>()
    for (;;) {
      const queue = (await pendingMutations(this.db, this.o.userId)).filter((m) => !tried.has(m.id))
      if (!queue.length) break
      const batch = queue.slice(0, this.o.batchSize)
      batch.forEach((m) => tried.add(m.id))
      const ready: OutboxMutation[] = []
      for (const m of batch) {
        const refusal = await this.uploadFiles(m, batch)
        if (refusal) {
          await markRefused(this.db, m, refusal, this.o.now())
          report.refused++
        } else ready.push(m)
      }
      if (!ready.length) continue
      await markSending(this.db, ready, this.o.now())
      let results: SyncResult[]
      try {
        const answer = await this.o.client.post<{ results: SyncResult[] }>('/sync', {
          device_id: this.o.deviceId,
          mutations: ready.map((m) => ({ id: m.id, type: m.type, payload: m.payload, created_at: m.created_at })),
        })
        results = answer.results ?? []
      } catch (e) {
        if (isTransient(e)) {
          await markUnsent(this.db, ready, toError(e), this.o.now())
          throw e
        }
        // The server refused the envelope itself (e.g. a malformed mutation): say so on each record.
        for (const m of ready) await markRefused(this.db, m, toError(e), this.o.now())
        report.refused += ready.length
        continue
      }
      report.sent += ready.length
      const c = await applyResults(this.db, ready, results, this.o.now())
      report.synced += c.synced
      report.refused += c.refused
    }
    report.remaining = (await pendingMutations(this.db, this.o.userId)).length
    return report
  }

  /** Uploads a mutation's local files; answers the server's refusal of a file, throws when unreachable. */
  private async uploadFiles(m: OutboxMutation, batch: OutboxMutation[]): Promise<MutationError | null> {
    for (const f of m.files) {
      try {
        await uploadLocalFile(this.db, this.o.client, f)
      } catch (e) {
        if (isTransient(e)) {
          await markUnsent(this.db, batch.filter((x) => x.state !== 'refused'), toError(e), this.o.now())
          throw e
        }
        return toError(e)
      }
    }
    return null
  }

  /** GET /sync/changes from the stored cursor until `has_more` is false; answers how many changes came. */
  async pull(maxPages = 50): Promise<number> {
    let cursor = (await getMeta<string | null>(this.db, 'cursor')) ?? null
    let count = 0
    for (let page = 0; page < maxPages; page++) {
      const r = await this.o.client.get<{ changes: Array<Record<string, unknown>>; next_cursor: string | null; has_more: boolean }>('/sync/changes', {
        cursor,
        limit: 200,
      })
      await this.applyChanges(r.changes ?? [])
      count += r.changes?.length ?? 0
      cursor = r.next_cursor ?? cursor
      await setMeta(this.db, 'cursor', cursor)
      if (!r.has_more) break
    }
    return count
  }

  /** Stores a page of the change feed through the features' change adapters; unknown types are skipped. */
  async applyChanges(changes: Array<Record<string, unknown>>): Promise<void> {
    const db = this.db
    const now = this.o.now().toISOString()
    const ctx: ChangeContext = {
      db,
      now,
      storeServer: (kind, data) => storeServerRecord(db, kind, data, now),
      remove: (kind, id) => removeRecord(db, kind, id),
      setMeta: (key, value) => setMeta(db, key, value),
    }
    await db.transaction('rw', db.records, db.meta, db.outbox, async () => {
      for (const c of changes) {
        const adapter = typeof c.type === 'string' ? changeAdapter(c.type) : undefined
        if (adapter) await adapter.apply(c, ctx)
      }
    })
  }
}

export async function readStatus(db: OfflineDb): Promise<SyncStatus> {
  const rows = await db.meta.bulkGet(['last_success_at', 'last_attempt_at', 'last_error', 'cursor'])
  const [s, a, e, c] = rows.map((r) => r?.value)
  return { last_success_at: s as string | undefined, last_attempt_at: a as string | undefined, last_error: (e as SyncStatus['last_error']) ?? null, cursor: (c as string) ?? null }
}

// ---- one run at a time across tabs ----

type LockManagerLike = { request: (name: string, opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<unknown>) => Promise<unknown> }

/** Runs `fn` holding the sync lock; answers 'busy' when another tab holds it. */
export async function withSyncLock<T>(db: OfflineDb, fn: () => Promise<T>, now = () => Date.now()): Promise<T | 'busy'> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks
  if (locks?.request) {
    return (await locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => (lock ? await fn() : 'busy'))) as T | 'busy'
  }
  // No Web Locks: a lease in IndexedDB, taken in a transaction, expiring so a crashed tab cannot block sync.
  const owner = Math.random().toString(36).slice(2)
  const took = await db.transaction('rw', db.meta, async () => {
    const lease = (await db.meta.get('sync_lock'))?.value as { owner: string; until: number } | undefined
    if (lease && lease.until > now()) return false
    await db.meta.put({ key: 'sync_lock', value: { owner, until: now() + 120_000 } })
    return true
  })
  if (!took) return 'busy'
  try {
    return await fn()
  } finally {
    await db.transaction('rw', db.meta, async () => {
      const lease = (await db.meta.get('sync_lock'))?.value as { owner: string } | undefined
      if (lease?.owner === owner) await db.meta.delete('sync_lock')
    })
  }
}

// ---- the scheduler ----

export interface SchedulerOptions {
  backoff?: BackoffOptions
  /** Retry after this when another tab is syncing. */
  busyRetryMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

export class SyncScheduler {
  failures = 0
  private timer: unknown = null
  private running: Promise<SyncRunReport | 'busy' | null> | null = null
  private again = false
  private readonly listeners = new Set<() => void>()
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(
    readonly engine: SyncEngine,
    private readonly options: SchedulerOptions = {},
  ) {
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
  }

  /** Called after every run (the status screen refreshes). */
  onRun(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Runs now (a call during a run asks for one more run after it); resolves with the run's report, null on failure. */
  syncNow(): Promise<SyncRunReport | 'busy' | null> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.cancelTimer()
    this.running = this.runOnce().finally(() => {
      this.running = null
      if (this.again) {
        this.again = false
        void this.syncNow()
      }
    })
    return this.running
  }

  get busy(): boolean {
    return this.running !== null
  }

  private async runOnce(): Promise<SyncRunReport | 'busy' | null> {
    let result: SyncRunReport | 'busy' | null = null
    try {
      result = await withSyncLock(this.engine.db, () => this.engine.run())
      if (result === 'busy') this.schedule(this.options.busyRetryMs ?? 3_000)
      else if (result.remaining > 0) this.schedule(backoffMs(++this.failures, this.options.backoff))
      else this.failures = 0
    } catch {
      this.schedule(backoffMs(++this.failures, this.options.backoff))
      result = null
    }
    this.listeners.forEach((l) => l())
    return result
  }

  schedule(ms: number) {
    this.cancelTimer()
    this.timer = this.setTimer(() => {
      this.timer = null
      void this.syncNow()
    }, ms)
  }

  get scheduled(): boolean {
    return this.timer !== null
  }

  cancelTimer() {
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = null
  }
}
