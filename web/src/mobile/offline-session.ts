// The phone works offline from the first minute: signing in stores what it needs — the profile and
// permissions (/me), and, through the first sync, the hazard settings, the team and the open hazards —
// in IndexedDB, and waits (briefly) for the service worker to take over the page, which keeps the app's
// screens for an offline start. When the network is gone, the session reads the profile from there.
// Dexie and the sync code load lazily: they are not part of the first screen.
import { api } from '@/lib/api'
import type { Me } from '@/lib/api/types'
import { setProfileKeeper } from '@/lib/auth/session'

/** Sign-in waits at most this long for the first sync, and for the service worker (a slow link: it goes on). */
const SYNC_WAIT_MS = 6_000
const WORKER_WAIT_MS = 4_000

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<void>((r) => setTimeout(r, ms))])

async function store() {
  // The features register first: opening the database may upgrade it, and the upgrade needs them.
  await import('./offline-features')
  const [{ offlineDb, plain }, profile] = await Promise.all([import('@/lib/offline/db'), import('@/lib/offline/profile')])
  return { db: offlineDb(), plain, ...profile }
}

/** Resolves once a service worker controls this page (none in dev, over plain http, or without support). */
function serviceWorkerInControl(): Promise<void> {
  const sw = globalThis.navigator?.serviceWorker
  if (!sw || !globalThis.isSecureContext || import.meta.env.DEV) return Promise.resolve()
  if (sw.controller) return Promise.resolve()
  return new Promise((resolve) => sw.addEventListener('controllerchange', () => resolve(), { once: true }))
}

async function firstSync(me: Me) {
  const [{ startOfflineSync }] = await Promise.all([import('@/lib/offline/app'), import('./offline-features')])
  const scheduler = await startOfflineSync(api, { id: me.id, name: me.name })
  await scheduler.syncNow()
}

export function installOfflineSession() {
  setProfileKeeper({
    async save(token, me) {
      const s = await store()
      await s.saveProfile(s.db, token, s.plain(me))
    },
    async load(token) {
      const s = await store()
      return s.loadProfile<Me>(s.db, token)
    },
    async afterSignIn(token, me) {
      // The sync starts first: for another user than the last one it clears the previous user's data.
      await Promise.all([within(firstSync(me), SYNC_WAIT_MS), within(serviceWorkerInControl(), WORKER_WAIT_MS)])
      // Whatever the first sync got to, the profile is on the phone.
      const s = await store()
      await s.saveProfile(s.db, token, s.plain(me))
    },
  })
}
