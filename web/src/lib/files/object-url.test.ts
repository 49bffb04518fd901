import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { useObjectUrl } from './object-url'

const flush = () => new Promise((r) => setTimeout(r, 0))

describe('useObjectUrl', () => {
  it('shows the file it was last asked for, even when an earlier one arrives later', async () => {
    const created: string[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const u = `blob:${(b as Blob).size}`
      created.push(u)
      return u
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const resolvers = new Map<string, (b: Blob) => void>()
    const load = (id: string) => new Promise<Blob>((resolve) => resolvers.set(id, resolve))
    const id = ref('a')
    let state: ReturnType<typeof useObjectUrl> | null = null
    const C = defineComponent({
      setup() {
        state = useObjectUrl(() => id.value, load)
        return () => h('i')
      },
    })
    const w = mount(C)
    id.value = 'b'
    await nextTick()
    resolvers.get('b')!(new Blob(['bb']))
    await flush()
    resolvers.get('a')!(new Blob(['a'])) // the stale answer
    await flush()
    expect(state!.url.value).toBe('blob:2')
    expect(created).toEqual(['blob:2'])
    w.unmount()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:2')
  })

  it('says so when the file cannot be read', async () => {
    let state: ReturnType<typeof useObjectUrl> | null = null
    const C = defineComponent({
      setup() {
        state = useObjectUrl(() => 'x', () => Promise.reject(new Error('404')))
        return () => h('i')
      },
    })
    mount(C)
    await flush()
    expect(state!.failed.value).toBe(true)
    expect(state!.url.value).toBeNull()
  })
})

describe('useObjectUrl without a file', () => {
  it('shows nothing and loads nothing until there is an id (the tenant logo before one is uploaded)', async () => {
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:logo')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const load = vi.fn(async () => new Blob(['png']))
    const id = ref<string | null>(null)
    let state: ReturnType<typeof useObjectUrl> | null = null
    const C = defineComponent({
      setup() {
        state = useObjectUrl(() => id.value, load)
        return () => h('i')
      },
    })
    mount(C)
    await flush()
    expect(load).not.toHaveBeenCalled()
    expect(state!.url.value).toBeNull()
    id.value = 'logo'
    await flush()
    expect(load).toHaveBeenCalledWith('logo')
    expect(state!.url.value).toBe('blob:logo')
    id.value = null
    await flush()
    expect(state!.url.value).toBeNull()
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:logo')
  })
})
