// In-app notifications arriving on the live stream, for screens that want to react (the board
// refreshes). The header bell owns the one stream and publishes here.
import type { AppNotification } from '@/lib/api/notify'

type Listener = (n: AppNotification) => void
const listeners = new Set<Listener>()

export function onLiveNotification(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function publishLiveNotification(n: AppNotification) {
  for (const l of listeners) l(n)
}
