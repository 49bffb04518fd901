import { createAppI18n, mergeMessages } from '@/lib/i18n'
import commonZh from '@/lib/locales/zh-CN'
import commonEn from '@/lib/locales/en'
import zh from './locales/zh-CN'
import en from './locales/en'
import { hazardMessages } from '@/lib/hazards'
import hazardsZh from './hazards/locales/zh-CN'
import hazardsEn from './hazards/locales/en'
import syncZh from './sync/locales/zh-CN'
import syncEn from './sync/locales/en'

export const mobileMessages = {
  'zh-CN': mergeMessages(commonZh, zh, hazardMessages['zh-CN'], hazardsZh, syncZh),
  en: mergeMessages(commonEn, en, hazardMessages.en, hazardsEn, syncEn),
}

export const createMobileI18n = () => createAppI18n(mobileMessages)
