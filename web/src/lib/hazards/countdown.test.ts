import { describe, expect, it } from 'vitest'
import { countdown, countdownMessage, isOverdue } from './countdown'

const due = '2026-11-28T12:00:00Z'
const at = (iso: string) => Date.parse(iso)

describe('countdown', () => {
  it('splits the time left into days, hours, minutes, seconds', () => {
    // 1 d 2 h 3 min 4 s before the deadline = 93 784 s
    const c = countdown(due, at('2026-11-27T09:56:56Z'))
    expect(c).toEqual({ overdue: false, seconds: 93784, days: 1, hours: 2, minutes: 3, secs: 4, tone: 'ok' })
  })

  it('is "soon" under two hours and not before', () => {
    expect(countdown(due, at('2026-11-28T10:00:00Z')).tone).toBe('ok') // exactly 2 h left
    const c = countdown(due, at('2026-11-28T10:00:01Z')) // 1 h 59 min 59 s
    expect(c.tone).toBe('soon')
    expect([c.hours, c.minutes, c.secs]).toEqual([1, 59, 59])
  })

  it('is not overdue at the deadline itself, overdue one millisecond later', () => {
    expect(countdown(due, at(due))).toMatchObject({ overdue: false, seconds: 0, tone: 'soon' })
    const late = countdown(due, at(due) + 1)
    expect(late.overdue).toBe(true)
    expect(late.tone).toBe('overdue')
    expect(late.seconds).toBe(0)
  })

  it('counts the time past the deadline when overdue', () => {
    // 3 d 0 h 30 min 15 s late = 261 015 s
    const c = countdown(due, at('2026-12-01T12:30:15Z'))
    expect(c).toEqual({ overdue: true, seconds: 261015, days: 3, hours: 0, minutes: 30, secs: 15, tone: 'overdue' })
  })

  it('rounds partial seconds down on both sides', () => {
    expect(countdown(due, at(due) - 1999).seconds).toBe(1)
    expect(countdown(due, at(due) + 1999).seconds).toBe(1)
  })

  it('takes epoch milliseconds and Dates too', () => {
    expect(countdown(at(due), new Date(at(due) - 60_000)).minutes).toBe(1)
  })
})

describe('countdownMessage', () => {
  it('shows the two largest units', () => {
    expect(countdownMessage(countdown(due, at('2026-11-27T09:56:56Z')))).toEqual({ key: 'hazard.countdown.left.dh', values: { d: 1, h: 2 } })
    expect(countdownMessage(countdown(due, at('2026-11-28T08:54:30Z')))).toEqual({ key: 'hazard.countdown.left.hm', values: { h: 3, m: 5 } })
    expect(countdownMessage(countdown(due, at('2026-11-28T11:55:50Z')))).toEqual({ key: 'hazard.countdown.left.ms', values: { m: 4, s: 10 } })
    expect(countdownMessage(countdown(due, at('2026-11-29T14:00:00Z')))).toEqual({ key: 'hazard.countdown.overdue.dh', values: { d: 1, h: 2 } })
  })
})

describe('isOverdue', () => {
  const now = at('2026-11-28T13:00:00Z')
  it('only while rectification is outstanding', () => {
    for (const status of ['reported', 'assigned', 'accepted', 'rework'] as const) expect(isOverdue({ status, due_at: due }, now), status).toBe(true)
    for (const status of ['submitted', 'closed', 'archived'] as const) expect(isOverdue({ status, due_at: due }, now), status).toBe(false)
  })
  it('not before the deadline', () => {
    expect(isOverdue({ status: 'accepted', due_at: due }, at('2026-11-28T11:59:59Z'))).toBe(false)
  })
})
