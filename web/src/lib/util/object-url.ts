// Loads an authenticated file (e.g. the tenant logo) into an object URL an <img> can show.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { getFile } from '../api/auth'

export function useFileUrl(fileId: Ref<string | null | undefined>) {
  const url = ref<string | null>(null)
  const release = () => {
    if (url.value) URL.revokeObjectURL(url.value)
    url.value = null
  }
  watch(
    fileId,
    async (id) => {
      release()
      if (!id) return
      try {
        url.value = URL.createObjectURL(await getFile(id))
      } catch {
        url.value = null // no logo is better than a broken image
      }
    },
    { immediate: true },
  )
  onBeforeUnmount(release)
  return url
}
