// Vue view of IndexedDB queries: re-run whenever the tables they read change (Dexie liveQuery), in this
// tab or another.
import { liveQuery } from 'dexie'
import { onScopeDispose, shallowRef, type ShallowRef } from 'vue'

export function useLiveQuery<T>(query: () => Promise<T>, initial: T): ShallowRef<T> {
  const value = shallowRef<T>(initial)
  const sub = liveQuery(query).subscribe({
    next: (v) => (value.value = v),
    error: () => undefined, // IndexedDB unavailable (private mode): the screens show their defaults
  })
  onScopeDispose(() => sub.unsubscribe())
  return value
}
