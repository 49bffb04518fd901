import { describe, expect, it } from 'vitest'
import { countText } from './waiting'

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
