// Texts the hazard screens share: labels of statuses, grades, codes and events, durations, times, names.
import { useI18n } from 'vue-i18n'
import { eventKey, evidenceKey, gradeKey, statusKey, categoryKey } from '@/lib/hazards/labels'
import { useOrgStore } from '../org/store'
import { durationKey, splitDuration } from './format'

export function useHazardText() {
  const { t, te, d } = useI18n()
  const org = useOrgStore()

  const status = (s: string | null | undefined) => (s ? t(statusKey(s)) : '')
  const grade = (g: string | null | undefined) => (g ? t(gradeKey(g)) : '')
  const event = (type: string) => t(eventKey(type))
  const kind = (k: string) => {
    const key = evidenceKey(k)
    return key ? t(key) : k
  }
  const category = (c: string | null | undefined) => {
    if (!c) return ''
    const key = categoryKey(c)
    return key && te(key) ? t(key) : c
  }
  /** A provincial code's label (hz.codes.<list>.<code>), or the code itself. */
  const code = (list: string, value: number | null | undefined) => {
    if (value === null || value === undefined) return '—'
    const key = `hz.codes.${list}.${value}`
    return te(key) ? t(key) : String(value)
  }
  const duration = (seconds: number) => {
    const p = splitDuration(seconds)
    return t(`hz.duration.${durationKey(p)}`, { d: p.d, h: p.h, m: p.m })
  }
  /** "剩余 2 小时 5 分" or "逾期 3 天 4 小时". */
  const remaining = (seconds: number | null | undefined) => {
    if (seconds === null || seconds === undefined) return ''
    return t(seconds < 0 ? 'hz.duration.late' : 'hz.duration.left', { time: duration(seconds) })
  }
  const time = (iso: string | null | undefined) => (iso ? d(new Date(iso), 'long') : '—')
  const person = (id: string | null | undefined, fallback?: string | null) => {
    if (!id) return fallback ?? '—'
    return org.personName(id) || fallback || id.slice(0, 8)
  }
  return { t, status, grade, event, kind, category, code, duration, remaining, time, person }
}
