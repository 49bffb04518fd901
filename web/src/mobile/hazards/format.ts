// Small display helpers for the hazard screens.
type T = (key: string, values?: Record<string, unknown>) => string

/** 120 → "2 小时", 1440 → "24 小时", 4320 → "3 天", 90 → "90 分钟". */
export function durationText(t: T, minutes: number): string {
  if (minutes >= 2880 && minutes % 1440 === 0) return t('mh.duration.days', { n: minutes / 1440 })
  if (minutes % 60 === 0) return t('mh.duration.hours', { n: minutes / 60 })
  return t('mh.duration.minutes', { n: minutes })
}

/** A recording's elapsed time: 7 → "0:07", 75 → "1:15". */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/**
 * The audio type to record in: the first the browser's MediaRecorder supports (Chrome and Firefox: WebM
 * or Ogg with Opus; Safari: MP4), or '' to let the browser choose.
 */
export function pickAudioType(isTypeSupported: (type: string) => boolean): string {
  return ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'].find((type) => isTypeSupported(type)) ?? ''
}
