// The app's one offline sync: started once a user is known, stopped at sign-out. Screens queue their
// writes with `queueMutation` and may wait a moment for the server's verdict (`outcome`), so online the
// worker sees a refusal in the form at once, and offline the record is simply kept and sent later.
import type { ApiClient } from '../api/client'
import { ApiError } from '../api/errors'
import { newId } from '../hazards/ids'
import { getMeta, isOpen, offlineDb, setMeta, type OfflineDb, type OutboxMutation } from './db'
import { SyncEngine, SyncScheduler } from './engine'
import { enqueue, pruneSynced, type EnqueueInput } from './outbox'
import type { LocalUser } from './localview'

const DEVICE_KEY = 'safeloop.device_id'
/** Pull changes this often while the app is open and visible. */
const REFRESH_MS = 5 * 60_000
/** Synced records stay on the status screen (and their photos on the phone) this long. */
const KEEP_SYNCED_MS = 7 * 24 * 3600_000

export function deviceId(): string {
  const store = globalThis.localStorage
  let id = store?.getItem(DEVICE_KEY) ?? null
  if (!id) {
    id = `phone-${newId()}`
    store?.setItem(DEVICE_KEY, id)
  }
  return id
}

let current: { scheduler: SyncScheduler; user: LocalUser; db: OfflineDb; stop: () => void } | null = null

/** Starts (or restarts for another user) background sync. A new user's phone drops the previous local view. */
export async function startOfflineSync(client: ApiClient, user: LocalUser, db: OfflineDb = offlineDb()): Promise<SyncScheduler> {
  if (current && current.user.id === user.id) return current.scheduler
  current?.stop()
  const previous = await getMeta<LocalUser>(db, 'me')
  if (previous && previous.id !== user.id) {
    await db.transaction('rw', db.hazards, db.meta, async () => {
      await db.hazards.clear()
      await db.meta.bulkDelete(['cursor', 'hazard_settings', 'people', 'last_success_at', 'last_error', 'me_response'])
    })
  }
  await setMeta(db, 'me', { id: user.id, name: user.name })
  const engine = new SyncEngine({ db, client, deviceId: deviceId(), userId: user.id })
  const scheduler = new SyncScheduler(engine, { backoff: { jitter: 0.2 } })
  const onOnline = () => void scheduler.syncNow()
  // Keep the local view fresh before the worker walks into a pump room: pull now and then while the app
  // is open and in view, and whenever it comes back into view.
  const onVisible = () => {
    if (globalThis.document?.visibilityState === 'visible' && globalThis.navigator?.onLine !== false) void scheduler.syncNow()
  }
  const refresh = setInterval(onVisible, REFRESH_MS)
  globalThis.addEventListener?.('online', onOnline)
  globalThis.document?.addEventListener('visibilitychange', onVisible)
  current = {
    scheduler,
    user,
    db,
    stop: () => {
      scheduler.cancelTimer()
      clearInterval(refresh)
      globalThis.removeEventListener?.('online', onOnline)
      globalThis.document?.removeEventListener('visibilitychange', onVisible)
    },
  }
  void pruneSynced(db, KEEP_SYNCED_MS).catch(() => undefined)
  void scheduler.syncNow()
  return scheduler
}

export function stopOfflineSync() {
  current?.stop()
  current = null
}

export function currentScheduler(): SyncScheduler | null {
  return current?.scheduler ?? null
}

export function syncNow() {
  return current?.scheduler.syncNow() ?? Promise.resolve(null)
}

/** Queues a write (and its local files) and starts sending it. */
export async function queueMutation(input: EnqueueInput): Promise<OutboxMutation> {
  const db = current?.db ?? offlineDb()
  const m = await enqueue(db, { ...input, user_id: input.user_id ?? current?.user.id ?? '' })
  void syncNow()
  return m
}

export type Outcome = { state: 'synced'; result: unknown } | { state: 'queued' }

/**
 * Waits up to `timeoutMs` for the server's verdict on a queued mutation: its answer when applied, an
 * ApiError carrying the server's reason when refused (the entry is marked handled: the form that sent
 * it shows the reason and sends the fixed record again, which gets a new id), or 'queued' when no
 * answer came (offline).
 */
export async function outcome(id: string, timeoutMs = 15_000): Promise<Outcome> {
  const db = current?.db ?? offlineDb()
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const m = await db.outbox.where('id').equals(id).first()
    if (!m) return { state: 'queued' }
    if (m.state === 'synced') return { state: 'synced', result: m.result }
    if (m.state === 'refused') {
      const error = m.error ?? { code: 'rejected', message: 'rejected' }
      await db.transaction('rw', db.outbox, db.hazards, async () => {
        await db.outbox.update(m.seq!, { handled: 1 })
        const h = await db.hazards.get(m.record_id)
        if (h && !(await db.outbox.where('record_id').equals(m.record_id).filter(isOpen).count())) {
          if (h.server) await db.hazards.put({ ...h, data: h.server, pending: 0 })
          else await db.hazards.delete(h.id)
        }
      })
      throw new ApiError(422, error)
    }
    const scheduler = current?.scheduler
    // Not answered yet: is anyone trying? Offline (no scheduler run succeeding) means queued.
    if (!scheduler || Date.now() > deadline || (m.error && m.state === 'waiting' && !scheduler.busy)) return { state: 'queued' }
    await new Promise((r) => setTimeout(r, 150))
  }
}
