// Small display helpers for the hazard screens.
type T = (key: string, values?: Record<string, unknown>) => string

/** 120 → "2 小时", 1440 → "24 小时", 4320 → "3 天", 90 → "90 分钟". */
export function durationText(t: T, minutes: number): string {
  if (minutes >= 2880 && minutes % 1440 === 0) return t('mh.duration.days', { n: minutes / 1440 })
  if (minutes % 60 === 0) return t('mh.duration.hours', { n: minutes / 60 })
  return t('mh.duration.minutes', { n: minutes })
}
