// Unsaved form input survives a session expiry: forms mirror their state into sessionStorage and
// restore it when they are shown again (after the user signed in again).
import { watch, type WatchStopHandle } from 'vue'

export const DRAFT_PREFIX = 'safeloop.draft.'

function storage(): Storage | undefined {
  return globalThis.sessionStorage
}

export function loadDraft<T>(key: string): T | null {
  const raw = storage()?.getItem(DRAFT_PREFIX + key)
  if (!raw) return null
  try {
    return JSON.parse(raw) as T
  } catch {
    return null
  }
}

export function saveDraft(key: string, value: unknown) {
  try {
    storage()?.setItem(DRAFT_PREFIX + key, JSON.stringify(value))
  } catch {
    // Quota exceeded or storage disabled: a lost draft must not break the form.
  }
}

export function clearDraft(key: string) {
  storage()?.removeItem(DRAFT_PREFIX + key)
}

export function clearAllDrafts() {
  const s = storage()
  if (!s) return
  const keys: string[] = []
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i)
    if (k?.startsWith(DRAFT_PREFIX)) keys.push(k)
  }
  keys.forEach((k) => s.removeItem(k))
}

/**
 * Restores `state` (a reactive object) from the draft `key`, then keeps the draft up to date.
 * Call `clear()` once the form has been submitted or deliberately abandoned.
 */
export function useDraft<T extends object>(key: string, state: T): { restored: boolean; clear: () => void; stop: WatchStopHandle } {
  const saved = loadDraft<Partial<T>>(key)
  if (saved) Object.assign(state, saved)
  const stop = watch(state, (value) => saveDraft(key, value), { deep: true })
  return {
    restored: saved !== null,
    clear: () => clearDraft(key),
    stop,
  }
}
