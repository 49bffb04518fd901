import { afterEach, describe, expect, it } from 'vitest'
import { loadTasks, registerTaskSource, unregisterTaskSource, type MobileTask } from './registry'

const task = (id: string, urgency: MobileTask['urgency'], due_at?: string): MobileTask => ({
  id,
  title: id,
  urgency,
  to: '/',
  ...(due_at ? { due_at } : {}),
})

describe('task registry', () => {
  afterEach(() => {
    unregisterTaskSource('a')
    unregisterTaskSource('b')
  })

  it('is empty with no sources', async () => {
    expect(await loadTasks()).toEqual({ tasks: [], failed: [] })
  })

  it('merges sources, most urgent and earliest first, and survives a failing source', async () => {
    registerTaskSource({ key: 'a', load: async () => [task('blue', 'blue', '2026-01-01T00:00:00Z'), task('red-late', 'red', '2026-01-02T00:00:00Z')] })
    registerTaskSource({ key: 'b', load: async () => Promise.reject(new Error('offline')) })
    registerTaskSource({ key: 'a', load: async () => [task('red-late', 'red', '2026-01-02T00:00:00Z'), task('red-early', 'red', '2026-01-01T00:00:00Z'), task('none', 'normal')] })
    const { tasks, failed } = await loadTasks()
    expect(tasks.map((t) => t.id)).toEqual(['red-early', 'red-late', 'none'])
    expect(failed).toEqual(['b'])
  })
})
