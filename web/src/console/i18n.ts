import { createAppI18n, mergeMessages } from '@/lib/i18n'
import commonZh from '@/lib/locales/zh-CN'
import commonEn from '@/lib/locales/en'
import zh from './locales/zh-CN'
import en from './locales/en'
import orgZh from './org/locales/zh-CN'
import orgEn from './org/locales/en'

export const consoleMessages = {
  'zh-CN': mergeMessages(commonZh, zh, orgZh),
  en: mergeMessages(commonEn, en, orgEn),
}

export const createConsoleI18n = () => createAppI18n(consoleMessages)
