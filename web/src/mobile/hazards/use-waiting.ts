// Counts of the hazards waiting for me, shared by the tab bar badge and the home screen entry (one
// state for the app). Refreshed when a tab page is shown, so accepting or submitting elsewhere is
// reflected on coming back; a failed refresh (offline) keeps the last counts.
import { computed, ref } from 'vue'
import { useSessionStore } from '@/lib/auth/session'
import { countText, loadWaiting } from './waiting'

const mine = ref<number | null>(null)
const verify = ref<number | null>(null)
const moreMine = ref(false)
const moreVerify = ref(false)
const owner = ref<string | null>(null)

export function useWaiting() {
  const session = useSessionStore()

  async function refresh() {
    if (!session.can('hazards.read')) return
    try {
      const w = await loadWaiting()
      mine.value = w.mine.length
      verify.value = session.can('hazards.verify') ? w.verify.length : null
      moreMine.value = w.moreMine
      moreVerify.value = w.moreVerify
      owner.value = session.me?.id ?? null
    } catch {
      // Keep what was shown (offline, or a passing server error).
    }
  }

  // Another person signed in on this phone: never show the previous person's counts.
  const valid = computed(() => owner.value !== null && owner.value === session.me?.id)
  const mineCount = computed(() => (valid.value ? mine.value : null))
  const verifyCount = computed(() => (valid.value ? verify.value : null))
  const total = computed(() => (mineCount.value ?? 0) + (verifyCount.value ?? 0))
  const mineText = computed(() => (mineCount.value === null ? '' : countText(mineCount.value, moreMine.value)))
  const verifyText = computed(() => (verifyCount.value === null ? '' : countText(verifyCount.value, moreVerify.value)))
  const totalText = computed(() => countText(total.value, moreMine.value || (verifyCount.value !== null && moreVerify.value)))
  return { refresh, mine: mineCount, verify: verifyCount, total, mineText, verifyText, totalText }
}
