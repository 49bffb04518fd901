// Where the bearer token lives. localStorage, so a reload keeps the session and the mobile app and the
// console (same origin) share it; an expired token is treated as absent.

export interface StoredToken {
  token: string
  /** RFC 3339; absent when the server did not say. */
  expires_at?: string
}

export interface TokenStore {
  get(): StoredToken | null
  set(token: StoredToken): void
  clear(): void
}

export const TOKEN_KEY = 'safeloop.token'

export function createTokenStore(storage: Storage | undefined = globalThis.localStorage, key = TOKEN_KEY): TokenStore {
  let memory: StoredToken | null = null
  return {
    get() {
      if (!storage) return memory
      const raw = storage.getItem(key)
      if (!raw) return null
      try {
        const parsed = JSON.parse(raw) as StoredToken
        return typeof parsed.token === 'string' ? parsed : null
      } catch {
        return null
      }
    },
    set(token) {
      memory = token
      storage?.setItem(key, JSON.stringify(token))
    },
    clear() {
      memory = null
      storage?.removeItem(key)
    },
  }
}

/** True when the token's expiry has passed (with a small margin for clock skew and request time). */
export function isExpired(token: StoredToken, now: number = Date.now(), marginMs = 5_000): boolean {
  if (!token.expires_at) return false
  const at = Date.parse(token.expires_at)
  return Number.isFinite(at) && at - marginMs <= now
}
