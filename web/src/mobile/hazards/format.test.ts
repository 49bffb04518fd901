import { describe, expect, it } from 'vitest'
import { clockText, durationText, pickAudioType } from './format'

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

describe('clockText', () => {
  it('shows minutes and two-digit seconds, whole seconds only', () => {
    expect(clockText(0)).toBe('0:00')
    expect(clockText(7.9)).toBe('0:07')
    expect(clockText(75)).toBe('1:15')
    expect(clockText(120)).toBe('2:00')
    expect(clockText(-3)).toBe('0:00')
  })
})

describe('pickAudioType', () => {
  it('prefers WebM/Opus, then Ogg, then MP4 (Safari), else lets the browser choose', () => {
    expect(pickAudioType(() => true)).toBe('audio/webm;codecs=opus')
    expect(pickAudioType((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus')
    expect(pickAudioType((t) => t === 'audio/mp4')).toBe('audio/mp4')
    expect(pickAudioType(() => false)).toBe('')
  })
})
