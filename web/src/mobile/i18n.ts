import { createAppI18n, mergeMessages } from '@/lib/i18n'
import commonZh from '@/lib/locales/zh-CN'
import commonEn from '@/lib/locales/en'
import zh from './locales/zh-CN'
import en from './locales/en'

export const mobileMessages = {
  'zh-CN': mergeMessages(commonZh, zh),
  en: mergeMessages(commonEn, en),
}

export const createMobileI18n = () => createAppI18n(mobileMessages)
