import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { defineComponent } from 'vue'
import { api } from '../api'
import { installAuthGuard, redirectTarget } from './guard'
import { useSessionStore } from './session'

const Page = defineComponent({ render: () => null })

function makeRouter(): Router {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', name: 'login', component: Page, meta: { public: true } },
      { path: '/', name: 'home', component: Page },
      { path: '/admin', name: 'admin', component: Page, meta: { permission: 'org.write' } },
      { path: '/forbidden', name: 'forbidden', component: Page, meta: { public: true } },
    ],
  })
  installAuthGuard(router)
  return router
}

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const ME = { id: 'u1', login: 'welder1', name: '王焊工', roles: ['worker'], permissions: ['users.read'] }

describe('auth guard', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('sends a visitor without a token to login, remembering where they wanted to go', async () => {
    const router = makeRouter()
    await router.push('/admin')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query).toEqual({ redirect: '/admin' })
  })

  it('refuses a route whose permission the user lacks', async () => {
    api.tokens.set({ token: 't' })
    vi.stubGlobal('fetch', vi.fn(async () => answer(200, ME)))
    const router = makeRouter()
    await router.push('/admin')
    expect(router.currentRoute.value.name).toBe('forbidden')
    await router.push('/')
    expect(router.currentRoute.value.name).toBe('home')
  })

  it('a token the server refuses on the first page load leads to login with reason=expired', async () => {
    api.tokens.set({ token: 'stale' })
    vi.stubGlobal('fetch', vi.fn(async () => answer(401, { error: { code: 'unauthenticated', message: 'expired' } })))
    const router = makeRouter()
    await router.push('/')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query).toEqual({ redirect: '/', reason: 'expired' })
    expect(api.tokens.get()).toBeNull()
  })

  it('a session that ends while the user works redirects to login with the way back', async () => {
    api.tokens.set({ token: 't' })
    const fetch = vi.fn(async () => answer(200, ME))
    vi.stubGlobal('fetch', fetch)
    const router = makeRouter()
    await router.push('/?tab=2')
    expect(router.currentRoute.value.name).toBe('home')
    fetch.mockImplementation(async () => answer(401, { error: { code: 'unauthenticated', message: 'expired' } }))
    await api.get('/anything').catch(() => undefined)
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    expect(router.currentRoute.value.query).toEqual({ redirect: '/?tab=2', reason: 'expired' })
    expect(useSessionStore().me).toBeNull()
  })

  it('only follows local redirect targets after login', () => {
    expect(redirectTarget({ redirect: '/org/users?x=1' })).toBe('/org/users?x=1')
    expect(redirectTarget({ redirect: '//evil.example/' })).toBe('/')
    expect(redirectTarget({ redirect: 'https://evil.example/' })).toBe('/')
    expect(redirectTarget({})).toBe('/')
  })
})
