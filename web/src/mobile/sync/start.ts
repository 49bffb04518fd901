// Starts the phone's offline sync once someone is signed in (and stops it at sign-out). Loaded lazily
// after the first screen (Dexie is not part of the first load).
import { watch } from 'vue'
import { api } from '@/lib/api'
import { useSessionStore } from '@/lib/auth/session'
import { startOfflineSync, stopOfflineSync } from '@/lib/offline/app'
import '../offline-features'

export function startMobileSync() {
  const session = useSessionStore()
  watch(
    () => session.me?.id ?? null,
    (id) => {
      if (id && session.me) void startOfflineSync(api, { id, name: session.me.name })
      else if (!session.token) stopOfflineSync()
    },
    { immediate: true },
  )
}
