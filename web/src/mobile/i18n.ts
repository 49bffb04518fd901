import { createAppI18n, mergeMessages } from '@/lib/i18n'
import commonZh from '@/lib/locales/zh-CN'
import commonEn from '@/lib/locales/en'
import zh from './locales/zh-CN'
import en from './locales/en'
import { hazardMessages } from '@/lib/hazards'

// Each module's texts (src/mobile/<module>/locales/{zh-CN,en}.ts, under the module's own top-level key).
type LocaleFile = { default: object }
const moduleZh = Object.values(import.meta.glob<LocaleFile>('./*/locales/zh-CN.ts', { eager: true })).map((f) => f.default)
const moduleEn = Object.values(import.meta.glob<LocaleFile>('./*/locales/en.ts', { eager: true })).map((f) => f.default)

export const mobileMessages = {
  'zh-CN': mergeMessages(commonZh, zh, hazardMessages['zh-CN'], ...moduleZh),
  en: mergeMessages(commonEn, en, hazardMessages.en, ...moduleEn),
}

export const createMobileI18n = () => createAppI18n(mobileMessages)
