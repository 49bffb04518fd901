// Router wiring shared by both apps: sign-in required unless a route is `meta.public`, permission
// checks from `meta.permission`, and back to the login page (keeping the way back) when the session ends.
import type { Router } from 'vue-router'
import { api } from '../api'
import { useSessionStore } from './session'

export const REASON_EXPIRED = 'expired'

export function installAuthGuard(router: Router) {
  let navigating = false

  router.beforeEach(async (to) => {
    navigating = true
    if (to.meta.public) return true
    const session = useSessionStore()
    let status: 'ok' | 'none' | 'expired'
    try {
      status = await session.ensureLoaded()
    } catch {
      status = 'ok' // a server error on /me: let the page show it rather than loop to login
    }
    if (status !== 'ok') {
      return { name: 'login', query: { redirect: to.fullPath, ...(status === 'expired' ? { reason: REASON_EXPIRED } : {}) } }
    }
    if (to.meta.permission && !session.can(to.meta.permission)) return { name: 'forbidden' }
    return true
  })
  router.afterEach(() => {
    navigating = false
  })
  router.onError(() => {
    navigating = false
  })

  api.onUnauthenticated(() => {
    const session = useSessionStore()
    session.reset()
    if (navigating) return // the guard above already redirects
    const current = router.currentRoute.value
    if (current.meta.public) return
    void router.replace({ name: 'login', query: { redirect: current.fullPath, reason: REASON_EXPIRED } })
  })
}

/** Where to go after signing in: the `redirect` query when it is a local path, else home. */
export function redirectTarget(query: Record<string, unknown>, fallback = '/'): string {
  const r = query.redirect
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') ? r : fallback
}
