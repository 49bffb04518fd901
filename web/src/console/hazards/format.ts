// Pure helpers of the hazard screens: durations, percentages, bars, CSV export, board cells.
import { toCsv } from '@/lib/org/csv'
import type { Ratio } from '@/lib/api/hazards-admin'

export interface DurationParts {
  d: number
  h: number
  m: number
}

/** Whole days, hours and minutes of |seconds| (rounded down to the minute). */
export function splitDuration(seconds: number): DurationParts {
  const total = Math.floor(Math.abs(seconds) / 60)
  return { d: Math.floor(total / 1440), h: Math.floor((total % 1440) / 60), m: total % 60 }
}

/** Which duration message fits: days+hours from one day, hours+minutes from one hour, else minutes. */
export function durationKey(p: DurationParts): 'days' | 'hours' | 'minutes' {
  if (p.d > 0) return 'days'
  if (p.h > 0) return 'hours'
  return 'minutes'
}

/** Seconds from `now` to an RFC 3339 deadline (negative once it has passed). */
export function secondsUntil(iso: string, now: number): number {
  return Math.round((Date.parse(iso) - now) / 1000)
}

/** A percentage with one decimal, or '—' when there is nothing to divide by. */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—'
  return `${(Math.round(pct * 10) / 10).toFixed(1)} %`
}

/** The ratio's percentage, computed when the server left it out. */
export function ratioPct(r: Ratio | null | undefined): number | null {
  if (!r) return null
  if (r.pct !== null && r.pct !== undefined) return r.pct
  return r.denominator > 0 ? (100 * r.numerator) / r.denominator : null
}

/** Hours with one decimal, or '—'. */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return '—'
  return (Math.round(hours * 10) / 10).toFixed(1)
}

/** Width of a bar (0–100 %) for a value on a scale whose top is `max`. */
export function barWidth(value: number | null | undefined, max = 100): number {
  if (value === null || value === undefined || !Number.isFinite(value) || max <= 0) return 0
  return Math.max(0, Math.min(100, (100 * value) / max))
}

/**
 * A cell Excel would run as a formula (=, +, -, @, or a leading tab/CR) is prefixed with an
 * apostrophe; plain numbers (including negative ones) stay as they are.
 */
export function neutralizeFormula(value: string): string {
  if (/^[=+@\t\r]/.test(value)) return `'${value}`
  if (value.startsWith('-') && !/^-\d+(\.\d+)?$/.test(value)) return `'${value}`
  return value
}

export interface CsvColumn<T> {
  header: string
  value: (row: T) => string | number | null | undefined
}

/** The rows as CSV for Excel: UTF-8 BOM, CRLF, quoted where needed, formulas neutralised. */
export function exportCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : neutralizeFormula(String(v)))
  return toCsv([columns.map((c) => text(c.header)), ...rows.map((r) => columns.map((c) => text(c.value(r))))])
}

/** Offers text as a file download. */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Count of a status × grade cell of the board (0 when absent). */
export function cellCount(cells: readonly { status: string; grade: string; count: number }[], status: string, grade: string): number {
  return cells.filter((c) => c.status === status && c.grade === grade).reduce((n, c) => n + c.count, 0)
}

export interface DepartmentRow {
  department_id: string | null
  department: string | null
  red: number
  yellow: number
  blue: number
  total: number
}

/** Stats rows grouped by department and grade → one row per department, most hazards first. */
export function pivotDepartments(rows: readonly { department_id?: string | null; department?: string | null; grade?: string | null; count: number }[]): DepartmentRow[] {
  const byId = new Map<string, DepartmentRow>()
  for (const r of rows) {
    const key = r.department_id ?? ''
    let row = byId.get(key)
    if (!row) {
      row = { department_id: r.department_id ?? null, department: r.department ?? null, red: 0, yellow: 0, blue: 0, total: 0 }
      byId.set(key, row)
    }
    if (r.grade === 'red' || r.grade === 'yellow' || r.grade === 'blue') row[r.grade] += r.count
    row.total += r.count
  }
  return [...byId.values()].sort((a, b) => b.total - a.total || (a.department ?? '').localeCompare(b.department ?? ''))
}
