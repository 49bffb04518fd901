import { describe, expect, it } from 'vitest'
import { nextTick, reactive } from 'vue'
import { clearAllDrafts, loadDraft, useDraft } from './draft'

describe('drafts', () => {
  it('mirrors a form into sessionStorage and restores it', async () => {
    const first = reactive({ name: '', mobile: '' })
    const d1 = useDraft('user-form', first)
    expect(d1.restored).toBe(false)
    first.name = '张三'
    await nextTick()
    d1.stop()

    const second = reactive({ name: '', mobile: '' })
    const d2 = useDraft('user-form', second)
    expect(d2.restored).toBe(true)
    expect(second.name).toBe('张三')
    d2.clear()
    d2.stop()
    expect(loadDraft('user-form')).toBeNull()
  })

  it('clearAllDrafts removes only drafts', () => {
    sessionStorage.setItem('safeloop.draft.a', '{}')
    sessionStorage.setItem('other', 'x')
    clearAllDrafts()
    expect(sessionStorage.getItem('safeloop.draft.a')).toBeNull()
    expect(sessionStorage.getItem('other')).toBe('x')
  })
})
