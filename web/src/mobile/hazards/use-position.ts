// The phone's GPS position when the user allows it. Never blocks a form: callers read `position`
// when submitting and go on without it.
import { ref } from 'vue'
import type { GeoPosition } from '@/lib/api/hazards'

export type PositionState = 'idle' | 'locating' | 'ok' | 'denied' | 'unavailable'

export function usePosition() {
  const position = ref<GeoPosition | null>(null)
  const state = ref<PositionState>('idle')

  function locate(timeoutMs = 15_000): Promise<GeoPosition | null> {
    const geo = globalThis.navigator?.geolocation
    if (!geo) {
      state.value = 'unavailable'
      return Promise.resolve(null)
    }
    state.value = 'locating'
    return new Promise((resolve) => {
      geo.getCurrentPosition(
        (p) => {
          position.value = {
            lat: Math.round(p.coords.latitude * 1e6) / 1e6,
            lng: Math.round(p.coords.longitude * 1e6) / 1e6,
            accuracy_m: Number.isFinite(p.coords.accuracy) ? Math.round(p.coords.accuracy) : null,
          }
          state.value = 'ok'
          resolve(position.value)
        },
        (err) => {
          state.value = err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'
          resolve(null)
        },
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
      )
    })
  }

  return { position, state, locate }
}
