import { describe, expect, it } from 'vitest'
import { createTokenStore, isExpired } from './token'

describe('token store', () => {
  it('round-trips through storage and ignores garbage', () => {
    const store = createTokenStore(globalThis.localStorage, 'test.token')
    store.set({ token: 't', expires_at: '2026-01-01T00:00:00Z' })
    expect(createTokenStore(globalThis.localStorage, 'test.token').get()).toEqual({ token: 't', expires_at: '2026-01-01T00:00:00Z' })
    localStorage.setItem('test.token', '{not json')
    expect(store.get()).toBeNull()
    store.clear()
    expect(store.get()).toBeNull()
  })

  it('treats a token as expired slightly before its expiry', () => {
    const at = Date.parse('2026-01-01T00:00:00Z')
    expect(isExpired({ token: 't', expires_at: '2026-01-01T00:00:00Z' }, at - 60_000)).toBe(false)
    expect(isExpired({ token: 't', expires_at: '2026-01-01T00:00:00Z' }, at - 1_000)).toBe(true)
    expect(isExpired({ token: 't' }, at)).toBe(false)
  })
})
