import { describe, expect, it } from 'vitest'
import { barWidth, cellCount, durationKey, exportCsv, formatHours, formatPct, neutralizeFormula, pivotDepartments, ratioPct, secondsUntil, splitDuration } from './format'

describe('durations', () => {
  it('splits seconds into days, hours and minutes', () => {
    // 3 d 4 h 5 min 59 s = 3*86400 + 4*3600 + 5*60 + 59 = 273959 s
    expect(splitDuration(273959)).toEqual({ d: 3, h: 4, m: 5 })
    expect(splitDuration(-273959)).toEqual({ d: 3, h: 4, m: 5 })
    expect(splitDuration(59)).toEqual({ d: 0, h: 0, m: 0 })
    expect(splitDuration(3600)).toEqual({ d: 0, h: 1, m: 0 })
  })
  it('picks the message by the largest unit', () => {
    expect(durationKey({ d: 1, h: 0, m: 0 })).toBe('days')
    expect(durationKey({ d: 0, h: 2, m: 30 })).toBe('hours')
    expect(durationKey({ d: 0, h: 0, m: 14 })).toBe('minutes')
  })
  it('counts seconds to a deadline', () => {
    const now = Date.parse('2026-11-28T10:00:00Z')
    expect(secondsUntil('2026-11-28T12:00:00Z', now)).toBe(7200)
    expect(secondsUntil('2026-11-28T09:30:00Z', now)).toBe(-1800)
  })
})

describe('metric formatting', () => {
  it('formats percentages with one decimal', () => {
    expect(formatPct(2.3)).toBe('2.3 %')
    expect(formatPct(100)).toBe('100.0 %')
    expect(formatPct(66.666)).toBe('66.7 %')
    expect(formatPct(null)).toBe('—')
  })
  it('computes a ratio when the server did not', () => {
    expect(ratioPct({ numerator: 1, denominator: 8, pct: null })).toBe(12.5)
    expect(ratioPct({ numerator: 0, denominator: 0, pct: null })).toBeNull()
    expect(ratioPct({ numerator: 3, denominator: 4, pct: 75 })).toBe(75)
  })
  it('formats hours', () => {
    expect(formatHours(2.8 * 24)).toBe('67.2')
    expect(formatHours(0.04)).toBe('0.0')
    expect(formatHours(null)).toBe('—')
  })
  it('scales bars and clamps them', () => {
    expect(barWidth(45, 90)).toBe(50)
    expect(barWidth(120)).toBe(100)
    expect(barWidth(-5)).toBe(0)
    expect(barWidth(null)).toBe(0)
  })
})

describe('CSV export', () => {
  it('writes a BOM, quotes and CRLF, and neutralises formulas', () => {
    const rows = [
      { code: 'YH-2026-000001', title: '焊机接地线破损, 需更换', note: 'say "hi"' },
      { code: 'YH-2026-000002', title: '=HYPERLINK("x")', note: '-3' },
    ]
    const csv = exportCsv(rows, [
      { header: '编号', value: (r) => r.code },
      { header: '隐患名称', value: (r) => r.title },
      { header: 'note', value: (r) => r.note },
    ])
    expect(csv).toBe('\ufeff编号,隐患名称,note\r\nYH-2026-000001,"焊机接地线破损, 需更换","say ""hi"""\r\nYH-2026-000002,"\'=HYPERLINK(""x"")",-3\r\n')
  })
  it('leaves numbers alone and prefixes formula starters', () => {
    expect(neutralizeFormula('-12.5')).toBe('-12.5')
    expect(neutralizeFormula('-cmd')).toBe("'-cmd")
    expect(neutralizeFormula('+1')).toBe("'+1")
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(neutralizeFormula('焊接')).toBe('焊接')
  })
})

describe('board helpers', () => {
  it('reads a cell and pivots departments', () => {
    const cells = [
      { status: 'assigned', grade: 'red', count: 2 },
      { status: 'assigned', grade: 'blue', count: 5 },
    ]
    expect(cellCount(cells, 'assigned', 'red')).toBe(2)
    expect(cellCount(cells, 'rework', 'red')).toBe(0)
    const rows = pivotDepartments([
      { department_id: 'a', department: '焊接一车间', grade: 'red', count: 1 },
      { department_id: 'b', department: '涂装车间', grade: 'blue', count: 4 },
      { department_id: 'a', department: '焊接一车间', grade: 'yellow', count: 2 },
    ])
    expect(rows).toEqual([
      { department_id: 'b', department: '涂装车间', red: 0, yellow: 0, blue: 4, total: 4 },
      { department_id: 'a', department: '焊接一车间', red: 1, yellow: 2, blue: 0, total: 3 },
    ])
  })
})

