// The app's one offline sync: started once a user is known, stopped at sign-out. Screens queue their
// writes with `queueMutation` and may wait a moment for the server's verdict (`outcome`), so online the
// worker sees a refusal in the form at once, and offline the record is simply kept and sent later.
import { liveQuery } from 'dexie'
import type { ApiClient } from '../api/client'
import { ApiError } from '../api/errors'
import { newId } from '../util/ids'
import { getMeta, offlineDb, setMeta, type OfflineDb, type OutboxMutation } from './db'
import { SyncEngine, SyncScheduler } from './engine'
import { enqueue, pruneSynced, type EnqueueInput } from './outbox'
import { restoreServerCopy } from './localview'
import { ME_KEY } from './profile'
import { kindOf, userMetaKeys, type LocalUser } from './registry'

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

let starting: { userId: string; promise: Promise<SyncScheduler> } | null = null

/**
 * Starts (or restarts for another user) background sync. A new user's phone drops the previous local
 * view. Called twice for the same user at once (sign-in and the session watcher), both get one engine.
 */
export function startOfflineSync(client: ApiClient, user: LocalUser, db: OfflineDb = offlineDb()): Promise<SyncScheduler> {
  if (current && current.user.id === user.id) return Promise.resolve(current.scheduler)
  if (starting && starting.userId === user.id) return starting.promise
  const promise = start(client, user, db).finally(() => {
    if (starting?.promise === promise) starting = null
  })
  starting = { userId: user.id, promise }
  return promise
}

async function start(client: ApiClient, user: LocalUser, db: OfflineDb): Promise<SyncScheduler> {
  current?.stop()
  current = null
  await rememberUser(db, user)
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

/** Meta of the signed-in user's sync (the features' reference data is added from the registry). */
const USER_META = ['cursor', 'last_success_at', 'last_error', ME_KEY]

/**
 * Records who uses the phone now. Another user than the last one: the previous user's local view and
 * reference data go (their queued mutations stay, sent under their own session when they sign in again).
 */
export async function rememberUser(db: OfflineDb, user: LocalUser): Promise<void> {
  await db.transaction('rw', db.records, db.meta, async () => {
    const previous = await getMeta<LocalUser>(db, 'me')
    if (previous && previous.id !== user.id) {
      await db.records.clear()
      await db.meta.bulkDelete([...USER_META, ...userMetaKeys()])
    }
    await setMeta(db, 'me', { id: user.id, name: user.name })
  })
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
  const scheduler = current?.scheduler ?? null
  // The entry is followed with Dexie's liveQuery: each change to it (by this tab's engine or another
  // tab's) is seen at once, without reading IndexedDB over and over. The scheduler's end of a run is
  // not a change to the entry, so it asks for another look too.
  const verdict = await new Promise<OutboxMutation | 'queued'>((resolve) => {
    let last: OutboxMutation | undefined
    let done = false
    const finish = (v: OutboxMutation | 'queued') => {
      if (done) return
      done = true
      clearTimeout(timer)
      offRun?.()
      queueMicrotask(() => sub.unsubscribe())
      resolve(v)
    }
    const judge = (m: OutboxMutation | undefined) => {
      last = m
      if (!m) return finish('queued')
      if (m.state === 'synced' || m.state === 'refused') return finish(m)
      // Not answered yet: is anyone trying? Offline (no run succeeding) means queued.
      if (!scheduler || (m.error && m.state === 'waiting' && !scheduler.busy)) finish('queued')
    }
    const timer = setTimeout(() => finish('queued'), timeoutMs)
    const offRun = scheduler?.onRun(() => setTimeout(() => !done && last && judge(last), 0))
    const sub = liveQuery(() => db.outbox.where('id').equals(id).first()).subscribe({
      next: judge,
      error: () => finish('queued'),
    })
  })
  if (verdict === 'queued') return { state: 'queued' }
  if (verdict.state === 'synced') return { state: 'synced', result: verdict.result }
  const error = verdict.error ?? { code: 'rejected', message: 'rejected' }
  await db.transaction('rw', db.outbox, db.records, async () => {
    await db.outbox.update(verdict.seq!, { handled: 1 })
    await restoreServerCopy(db, kindOf(verdict.type), verdict.record_id)
  })
  throw new ApiError(422, error)
}
