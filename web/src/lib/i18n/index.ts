// vue-i18n setup shared by both apps: zh-CN first, en second, choice remembered per device.
import { createI18n, type I18n } from 'vue-i18n'
import { setApiLocale } from '../api'
import { isApiError } from '../api/errors'

export const LOCALES = ['zh-CN', 'en'] as const
export type LocaleCode = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: LocaleCode = 'zh-CN'
export const LOCALE_KEY = 'safeloop.locale'

const DATETIME_FORMATS = {
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
  long: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
} as const

type Tree = { [key: string]: string | Tree }

/** Deep-merges feature locale trees (common + app + feature) into one message tree. */
export function mergeMessages(...parts: object[]): Tree {
  const out: Tree = {}
  for (const part of parts) mergeInto(out, part as Tree)
  return out
}
function mergeInto(target: Tree, source: Tree) {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key]
    if (typeof value === 'object' && typeof existing === 'object') mergeInto(existing, value)
    else target[key] = typeof value === 'object' ? mergeMessages(value) : value
  }
}

export function isLocale(value: unknown): value is LocaleCode {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The saved choice, else zh-CN (Chinese plants first; English only when the user picks it). */
export function initialLocale(storage: Storage | undefined = globalThis.localStorage): LocaleCode {
  const saved = storage?.getItem(LOCALE_KEY)
  return isLocale(saved) ? saved : DEFAULT_LOCALE
}

export type AppI18n = I18n<Record<string, Tree>, Record<string, never>, Record<string, never>, string, false>

export function createAppI18n(messages: Record<LocaleCode, Tree>): AppI18n {
  const locale = initialLocale()
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages,
    datetimeFormats: {
      'zh-CN': DATETIME_FORMATS,
      en: DATETIME_FORMATS,
    },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: false,
  }) as unknown as AppI18n
  applyLocale(locale)
  return i18n
}

/** Switches the UI language, remembers it, and tells the server (Accept-Language) and the page (<html lang>). */
export function setLocale(current: { value: string }, locale: LocaleCode) {
  current.value = locale
  globalThis.localStorage?.setItem(LOCALE_KEY, locale)
  applyLocale(locale)
}

function applyLocale(locale: LocaleCode) {
  setApiLocale(locale)
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

/**
 * The server writes messages for people as "中文 / English": keep the half for the UI language
 * (the whole text when it has no such split).
 */
export function pickLanguage(message: string, locale: string): string {
  const at = message.indexOf(' / ')
  if (at < 0) return message
  return locale === 'en' ? message.slice(at + 3).trim() : message.slice(0, at).trim()
}

/** A message for people: our translation of the error code when we have one, else the server's message. */
export function errorText(t: (key: string) => string, te: (key: string) => boolean, error: unknown, locale?: string): string {
  if (isApiError(error)) {
    const key = `errors.${error.code}`
    if (te(key)) return t(key)
    return error.message ? pickLanguage(error.message, locale ?? DEFAULT_LOCALE) : t('errors.unknown')
  }
  return t('errors.unknown')
}
