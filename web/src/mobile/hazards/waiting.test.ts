import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Hazard, HazardListQuery } from '@/lib/api/hazards'

// The server's answers per query, and every query asked.
const answers = new Map<string, Hazard[]>()
const asked: HazardListQuery[] = []
vi.mock('@/lib/api/hazards', () => ({
  listHazards: async (q: HazardListQuery) => {
    asked.push(q)
    return { items: answers.get(JSON.stringify(q)) ?? [], next_cursor: null }
  },
}))
vi.mock('@/lib/auth/session', () => ({
  useSessionStore: () => ({ ensureLoaded: async () => undefined, me: { id: 'officer', permissions: ['hazards.verify', 'hazards.handle'] } }),
}))

const { countText, loadWaiting, tabQuery, WAITING_QUERIES } = await import('./waiting')

const hazard = (id: string, assignee: string, status: Hazard['status']) => ({ id, assignee_id: assignee, status }) as Hazard

describe('countText', () => {
  it('shows the count as it is when the list was not cut', () => {
    expect(countText(0, false)).toBe('0')
    expect(countText(7, false)).toBe('7')
  })
  it('adds "+" when the list behind it had more rows than were fetched', () => {
    expect(countText(50, true)).toBe('50+')
    expect(countText(53, true)).toBe('53+')
  })
})

describe('loadWaiting', () => {
  beforeEach(() => {
    answers.clear()
    asked.length = 0
  })

  it('counts exactly what the 待验收 tab lists (regression: the count left out my own submissions, the tab did not)', async () => {
    // The server: two rectifications await verification, one of them submitted by this officer (who
    // held that hazard). `to_verify` is the one the officer may verify.
    answers.set(JSON.stringify({ status: 'submitted', sort: 'due_at', limit: 50 }), [hazard('h1', 'leader', 'submitted'), hazard('h2', 'officer', 'submitted')])
    answers.set(JSON.stringify(WAITING_QUERIES.verify), [hazard('h1', 'leader', 'submitted')])
    const { listHazards } = await import('@/lib/api/hazards')
    const tab = await listHazards(tabQuery('verify', 'officer'))
    const w = await loadWaiting()
    expect(w.verify.map((h) => h.id)).toEqual(tab.items.map((h) => h.id))
    expect(w.verify.map((h) => h.id)).toEqual(['h1'])
  })

  it('counts exactly what the 待我处理 tab lists', async () => {
    answers.set(JSON.stringify(WAITING_QUERIES.mine), [hazard('h4', 'officer', 'assigned'), hazard('h5', 'officer', 'rework')])
    const { listHazards } = await import('@/lib/api/hazards')
    const tab = await listHazards(tabQuery('todo', 'officer'))
    const w = await loadWaiting()
    expect(w.mine.map((h) => h.id)).toEqual(tab.items.map((h) => h.id))
    expect(w.mine).toHaveLength(2)
  })

  it('asks the server for what I may verify rather than filtering a page on the phone', () => {
    expect(tabQuery('verify', 'officer')).toBe(WAITING_QUERIES.verify)
    expect(WAITING_QUERIES.verify).toMatchObject({ to_verify: true, sort: 'due_at' })
    expect(tabQuery('reported', 'officer')).toMatchObject({ reporter_id: 'officer' })
  })
})
