// A reactive "now" that ticks every second while a component shows live countdowns.
import { onBeforeUnmount, onMounted, ref } from 'vue'

export function useNow(intervalMs = 1000) {
  const now = ref(Date.now())
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), intervalMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return now
}
