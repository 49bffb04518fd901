// Time left until a hazard's deadline, for the live countdowns of both apps. Pure: the caller passes
// "now" (the phone ticks it every second), so the values are testable by hand.
import { AWAITING_RECTIFICATION, type Hazard, type HazardStatus } from '../api/hazards'

export interface Countdown {
  /** The deadline has passed. */
  overdue: boolean
  /** |due − now| in whole seconds (rounded down). */
  seconds: number
  days: number
  hours: number
  minutes: number
  secs: number
  /** overdue; soon = less than `soonMs` left (default 2 h); ok otherwise. */
  tone: 'overdue' | 'soon' | 'ok'
}

export const SOON_MS = 2 * 60 * 60 * 1000

function toMs(t: string | number | Date): number {
  if (typeof t === 'number') return t
  if (t instanceof Date) return t.getTime()
  return Date.parse(t)
}

/** The countdown to `due` at `now`. At exactly the deadline it is not yet overdue (the server: due < now). */
export function countdown(due: string | number | Date, now: number | Date, soonMs = SOON_MS): Countdown {
  const diff = toMs(due) - toMs(now)
  const overdue = diff < 0
  const seconds = Math.floor(Math.abs(diff) / 1000)
  const days = Math.floor(seconds / 86400)
  const hours = Math.floor((seconds % 86400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const secs = seconds % 60
  const tone = overdue ? 'overdue' : diff < soonMs ? 'soon' : 'ok'
  return { overdue, seconds, days, hours, minutes, secs, tone }
}

/** Whether the deadline runs for this status (rectification outstanding: reported, assigned, accepted, rework). */
export const deadlineRuns = (status: HazardStatus) => AWAITING_RECTIFICATION.includes(status)

/** Overdue as the server defines it: rectification outstanding and the deadline passed. */
export function isOverdue(hazard: Pick<Hazard, 'status' | 'due_at'>, now: number | Date): boolean {
  return deadlineRuns(hazard.status) && toMs(hazard.due_at) < toMs(now)
}

/**
 * The i18n key and values to show a countdown compactly: "剩 2 天 3 小时", "剩 3 小时 5 分", "剩 4 分 10 秒",
 * "超期 1 天 2 小时"… Two units at most, the largest first.
 */
export function countdownMessage(c: Countdown): { key: string; values: Record<string, number> } {
  const prefix = c.overdue ? 'hazard.countdown.overdue' : 'hazard.countdown.left'
  if (c.days > 0) return { key: `${prefix}.dh`, values: { d: c.days, h: c.hours } }
  if (c.hours > 0) return { key: `${prefix}.hm`, values: { h: c.hours, m: c.minutes } }
  return { key: `${prefix}.ms`, values: { m: c.minutes, s: c.secs } }
}
