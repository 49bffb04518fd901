// Home-screen tasks from hazards: those assigned to me that wait for me (accept, rectify, rework) and,
// for safety officers, those awaiting verification. Texts are translated here (the registry wants
// finished titles), in the language the app currently shows (<html lang>, set by lib/i18n).
import { createI18n } from 'vue-i18n'
import type { Hazard } from '@/lib/api/hazards'
import { countdown, countdownMessage } from '@/lib/hazards/countdown'
import { hazardMessages } from '@/lib/hazards'
import { mergeMessages } from '@/lib/i18n'
import type { MobileTask } from '../tasks/registry'
import { FEATURE_ROUTES } from '../feature-routes'
import { loadWaiting } from './waiting'
import zh from './locales/zh-CN'
import en from './locales/en'

const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': mergeMessages(hazardMessages['zh-CN'], zh), en: mergeMessages(hazardMessages.en, en) },
  missingWarn: false,
  fallbackWarn: false,
})

function t(key: string, values: Record<string, unknown> = {}) {
  return i18n.global.t(key, values)
}

function task(h: Hazard, actionKey: string, now: number): MobileTask {
  const c = countdown(h.due_at, now)
  const m = countdownMessage(c)
  // The grade shows as the task's colour; the text says time and code.
  const parts = [h.code]
  if (h.status !== 'submitted') parts.unshift(t(m.key, m.values))
  return {
    id: `hazard:${h.id}`,
    title: t(actionKey, { title: h.title }),
    subtitle: parts.join(' · '),
    due_at: h.due_at,
    urgency: h.status === 'submitted' ? 'normal' : h.grade,
    to: { name: FEATURE_ROUTES.hazardDetail, params: { id: h.id } },
  }
}

export async function loadHazardTasks(): Promise<MobileTask[]> {
  const lang = globalThis.document?.documentElement.lang
  i18n.global.locale.value = lang === 'en' ? 'en' : 'zh-CN'
  const now = Date.now()
  const waiting = await loadWaiting()
  return [...waiting.mine.map((h) => task(h, `mh.task.${h.status}`, now)), ...waiting.verify.map((h) => task(h, 'mh.task.verify', now))]
}
