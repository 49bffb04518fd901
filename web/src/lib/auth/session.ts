// The signed-in user, as a Pinia setup store shared by both apps.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../api'
import { isApiError } from '../api/errors'
import * as authApi from '../api/auth'
import type { Me, Permission } from '../api/types'
import { clearAllDrafts } from './draft'

/** Who signed in last on this device, to fill the login name in again after a session expiry. */
export const LAST_LOGIN_KEY = 'safeloop.last-login'

/**
 * Where an app keeps the signed-in profile for use without the network (the phone: IndexedDB, see
 * src/mobile/offline-session.ts; the console keeps none). `afterSignIn` runs before sign-in completes:
 * the phone stores there everything it needs to work offline from the first minute.
 */
export interface ProfileKeeper {
  save(token: string, me: Me): Promise<void>
  load(token: string): Promise<Me | undefined>
  afterSignIn?(token: string, me: Me): Promise<void>
}

let keeper: ProfileKeeper | null = null
export function setProfileKeeper(k: ProfileKeeper | null) {
  keeper = k
}

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const token = ref(api.tokens.get())

  const isLoggedIn = computed(() => token.value !== null)
  const permissions = computed(() => new Set<Permission>(me.value?.permissions ?? []))

  /** True when the user holds the permission (or, given a list, every one of them). */
  function can(permission: Permission | readonly Permission[] | undefined): boolean {
    if (!permission) return true
    const needed = typeof permission === 'string' ? [permission] : permission
    return needed.every((p) => permissions.value.has(p))
  }

  async function login(loginName: string, password: string) {
    const answer = await authApi.login(loginName.trim(), password)
    api.tokens.set(answer.expires_at ? { token: answer.token, expires_at: answer.expires_at } : { token: answer.token })
    token.value = api.tokens.get()
    globalThis.localStorage?.setItem(LAST_LOGIN_KEY, answer.user.login)
    const profile = await loadMe()
    const t = api.tokens.get()?.token
    if (t && keeper?.afterSignIn) await keeper.afterSignIn(t, profile).catch(() => undefined)
  }

  async function loadMe(): Promise<Me> {
    const answer = await authApi.getMe()
    if (!Array.isArray(answer.permissions)) answer.permissions = await permissionsFromRoles(answer.roles)
    me.value = answer
    const t = api.tokens.get()?.token
    if (t && keeper) void keeper.save(t, answer).catch(() => undefined)
    return answer
  }

  /** The profile kept on this device for this session (offline start). */
  async function loadSaved(): Promise<boolean> {
    const t = api.tokens.get()?.token
    const saved = t && keeper ? await keeper.load(t).catch(() => undefined) : undefined
    if (saved) me.value = saved
    return !!saved
  }

  /**
   * Loads /me once per page load. 'none': never signed in; 'expired': the server refused the token;
   * 'ok': signed in (also when offline with a token: the phone keeps working without the network).
   */
  async function ensureLoaded(): Promise<'ok' | 'none' | 'expired'> {
    token.value = api.tokens.get()
    if (!token.value) return 'none'
    if (me.value) return 'ok'
    try {
      await loadMe()
      return 'ok'
    } catch (e) {
      // No network: the profile this device kept for the session (name, permissions) stands in.
      if (isApiError(e) && e.isNetwork && api.tokens.get()) {
        await loadSaved()
        return 'ok'
      }
      if (isApiError(e) && e.status === 401) return 'expired'
      throw e
    }
  }

  /** Explicit sign-out: tells the server, forgets the token and any drafts (the phone may be shared). */
  async function logout() {
    try {
      if (api.tokens.get()) await authApi.logout()
    } catch {
      // Signing out must work offline and with a dead token too.
    }
    api.tokens.clear()
    clearAllDrafts()
    globalThis.localStorage?.removeItem(LAST_LOGIN_KEY)
    reset()
  }

  /** Forgets the session locally (used when the server says the token is gone); drafts stay. */
  function reset() {
    token.value = null
    me.value = null
  }

  return { me, token, isLoggedIn, permissions, can, login, loadMe, ensureLoaded, logout, reset }
})

/** Older servers may not list permissions in /me: derive them from the role catalogue. */
async function permissionsFromRoles(roles: string[]): Promise<Permission[]> {
  try {
    const catalogue = await authApi.listRoles()
    const out = new Set<Permission>()
    for (const role of catalogue) if (roles.includes(role.key)) role.permissions.forEach((p) => out.add(p))
    return [...out]
  } catch {
    return []
  }
}
