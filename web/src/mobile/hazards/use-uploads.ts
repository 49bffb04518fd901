// Files picked on the phone, each uploaded as soon as it is chosen (hash first, bytes only when the
// server lacks them), so that submitting a form only sends ids. Images are downscaled first.
import { onBeforeUnmount, reactive } from 'vue'
import { downscaleImage } from '@/lib/files/image'
import { uploadBlob } from '@/lib/files/upload'

export interface PickedFile {
  key: number
  name: string
  type: string
  /** Object URL for a preview (images and videos). */
  preview: string
  status: 'uploading' | 'done' | 'failed'
  /** The stored file's id once uploaded. */
  fileId: string | null
  /** Video length in seconds when the browser could read it. */
  durationS: number | null
  error: unknown
  blob: Blob
}

let seq = 0

function videoDuration(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const v = document.createElement('video')
    v.preload = 'metadata'
    const done = (d: number | null) => {
      v.removeAttribute('src')
      resolve(d)
    }
    v.onloadedmetadata = () => done(Number.isFinite(v.duration) ? v.duration : null)
    v.onerror = () => done(null)
    setTimeout(() => done(null), 5000)
    v.src = url
  })
}

export function useUploads() {
  const items = reactive<PickedFile[]>([])

  async function upload(item: PickedFile) {
    item.status = 'uploading'
    item.error = null
    try {
      item.fileId = (await uploadBlob(item.blob)).id
      item.status = 'done'
    } catch (e) {
      item.error = e
      item.status = 'failed'
    }
  }

  /** Adds files (from an <input type=file>) and starts uploading them; returns the new entries. */
  async function add(files: Iterable<File | Blob>, name = 'file'): Promise<PickedFile[]> {
    const added: PickedFile[] = []
    for (const f of files) {
      const blob = f.type.startsWith('image/') ? await downscaleImage(f) : f
      const preview = URL.createObjectURL(blob)
      const item = reactive<PickedFile>({
        key: ++seq,
        name: f instanceof File ? f.name : name,
        type: blob.type,
        preview,
        status: 'uploading',
        fileId: null,
        durationS: null,
        error: null,
        blob,
      }) as PickedFile
      items.push(item)
      added.push(items[items.length - 1]!)
    }
    await Promise.all(
      added.map(async (item) => {
        if (item.type.startsWith('video/')) item.durationS = await videoDuration(item.preview)
        await upload(item)
      }),
    )
    return added
  }

  function remove(key: number) {
    const i = items.findIndex((x) => x.key === key)
    if (i < 0) return
    URL.revokeObjectURL(items[i]!.preview)
    items.splice(i, 1)
  }

  function retry(key: number) {
    const item = items.find((x) => x.key === key)
    if (item) void upload(item)
  }

  onBeforeUnmount(() => items.forEach((x) => URL.revokeObjectURL(x.preview)))

  return { items, add, remove, retry }
}
