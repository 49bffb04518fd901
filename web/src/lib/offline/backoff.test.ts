import { describe, expect, it } from 'vitest'
import { backoffMs } from './backoff'

describe('backoffMs', () => {
  it('doubles from 5 s after each failure and stops at 5 minutes', () => {
    // 5, 10, 20, 40, 80, 160 s, then 320 s > 300 s → capped
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => backoffMs(n))).toEqual([0, 5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000])
  })
  it('takes its base and cap', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, { baseMs: 1_000, capMs: 3_000 }))).toEqual([1_000, 2_000, 3_000, 3_000])
  })
  it('jitter only shortens, by at most the fraction given', () => {
    expect(backoffMs(3, { jitter: 0.2, random: () => 1 })).toBe(16_000) // 20 s − 20 %
    expect(backoffMs(3, { jitter: 0.2, random: () => 0 })).toBe(20_000)
    expect(backoffMs(3, { jitter: 0.2, random: () => 0.5 })).toBe(18_000)
  })
})
