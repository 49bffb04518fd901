// Offline from the first minute: signing in stores the profile, permissions, hazard settings and team on
// the phone; the next start with no network reads them from there (name in the greeting, permissions for
// the report screen) instead of an empty profile and 无权访问.
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { api } from '@/lib/api'
import { installAuthGuard } from '@/lib/auth/guard'
import { setProfileKeeper, useSessionStore } from '@/lib/auth/session'
import { getMeta, offlineDb } from '@/lib/offline/db'
import { stopOfflineSync } from '@/lib/offline/app'
import { installOfflineSession } from './offline-session'

const ME = { id: 'u2', login: 'welder2', name: '刘洋', roles: ['worker'], permissions: ['hazards.report', 'hazards.read', 'users.read'], team_id: 't1' }
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

function server(url: string) {
  const path = new URL(url, 'http://x').pathname
  if (path.endsWith('/auth/login')) return json(200, { token: 'tok-1', user: { login: 'welder2' } })
  if (path.endsWith('/me')) return json(200, ME)
  if (path.endsWith('/sync/changes'))
    return json(200, {
      changes: [
        { type: 'hazard_settings', data: { grades: [{ grade: 'red', deadline_min: 120 }] } },
        { type: 'people', data: [{ id: 'u1', name: '王班长' }] },
      ],
      next_cursor: 'c1',
      has_more: false,
    })
  return json(404, { error: { code: 'not_found', message: 'no' } })
}

afterEach(async () => {
  stopOfflineSync()
  setProfileKeeper(null)
  vi.unstubAllGlobals()
  localStorage.clear()
  await offlineDb().delete()
  offlineDb().close()
})

describe('signing in on the phone', () => {
  it('stores what the phone needs offline; a start without network reads the profile from there', async () => {
    installOfflineSession()
    setActivePinia(createPinia())
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) => server(String(input instanceof Request ? input.url : input))))
    await useSessionStore().login('welder2', 'demo-2026')

    const db = offlineDb()
    expect(await getMeta(db, 'hazard_settings')).toEqual({ grades: [{ grade: 'red', deadline_min: 120 }] })
    expect(await getMeta(db, 'people')).toEqual([{ id: 'u1', name: '王班长' }])
    expect(await getMeta(db, 'me_response')).toMatchObject({ body: { name: '刘洋' } })

    // The next start of the app, no network at all.
    stopOfflineSync()
    setActivePinia(createPinia())
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const Page = defineComponent({ render: () => null })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/login', name: 'login', component: Page, meta: { public: true } },
        { path: '/', name: 'home', component: Page },
        { path: '/hazards/new', name: 'hazard-report', component: Page, meta: { permission: 'hazards.report' } },
        { path: '/forbidden', name: 'forbidden', component: Page, meta: { public: true } },
      ],
    })
    installAuthGuard(router)
    await router.push('/hazards/new')
    expect(router.currentRoute.value.name).toBe('hazard-report')
    expect(useSessionStore().me?.name).toBe('刘洋')
  })

  it('another session (a different token) never reads the kept profile', async () => {
    installOfflineSession()
    setActivePinia(createPinia())
    vi.stubGlobal('fetch', vi.fn(async (input: RequestInfo | URL) => server(String(input instanceof Request ? input.url : input))))
    await useSessionStore().login('welder2', 'demo-2026')
    setActivePinia(createPinia())
    api.tokens.set({ token: 'someone-else' })
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    expect(await useSessionStore().ensureLoaded()).toBe('ok')
    expect(useSessionStore().me).toBeNull()
  })
})
