// A stored file shown in the page (a photo, a voice note, the tenant logo): files need the bearer token,
// so they are fetched as Blobs and shown through object URLs, released when the file changes or the
// component goes away. The one composable for it in both apps.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { getFile } from '../api/auth'

/**
 * `fileId` is read reactively (a getter); no id (null, undefined, '') shows nothing. `load` fetches the
 * Blob (default: GET /files/{id}); a failure leaves `url` null and sets `failed`.
 */
export function useObjectUrl(
  fileId: () => string | null | undefined,
  load: (id: string) => Promise<Blob> = getFile,
): { url: Ref<string | null>; failed: Ref<boolean> } {
  const url = ref<string | null>(null)
  const failed = ref(false)
  let current = 0

  function release() {
    if (url.value) URL.revokeObjectURL(url.value)
    url.value = null
  }

  watch(
    fileId,
    async (id) => {
      const mine = ++current
      release()
      failed.value = false
      if (!id) return
      try {
        const blob = await load(id)
        if (mine === current) url.value = URL.createObjectURL(blob) // a later file may have replaced this one meanwhile
      } catch {
        if (mine === current) failed.value = true
      }
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    current++
    release()
  })
  return { url, failed }
}
