import { describe, expect, it } from 'vitest'
import { durationText } from './format'

const t = (key: string, values?: Record<string, unknown>) => `${key}:${values?.n}`

describe('durationText', () => {
  it('uses the largest whole unit', () => {
    expect(durationText(t, 120)).toBe('mh.duration.hours:2')
    expect(durationText(t, 1440)).toBe('mh.duration.hours:24')
    expect(durationText(t, 4320)).toBe('mh.duration.days:3')
    expect(durationText(t, 90)).toBe('mh.duration.minutes:90')
    expect(durationText(t, 15)).toBe('mh.duration.minutes:15')
  })
})
