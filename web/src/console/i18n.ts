import { createAppI18n, mergeMessages } from '@/lib/i18n'
import commonZh from '@/lib/locales/zh-CN'
import commonEn from '@/lib/locales/en'
import zh from './locales/zh-CN'
import en from './locales/en'
import orgZh from './org/locales/zh-CN'
import orgEn from './org/locales/en'
import settingsZh from './settings/locales/zh-CN'
import settingsEn from './settings/locales/en'
import hazardZh from '@/lib/hazards/locales/zh-CN'
import hazardEn from '@/lib/hazards/locales/en'
import hzZh from './hazards/locales/zh-CN'
import hzEn from './hazards/locales/en'
import notifyZh from './notify/locales/zh-CN'
import notifyEn from './notify/locales/en'

export const consoleMessages = {
  'zh-CN': mergeMessages(commonZh, zh, orgZh, settingsZh, hazardZh, hzZh, notifyZh),
  en: mergeMessages(commonEn, en, orgEn, settingsEn, hazardEn, hzEn, notifyEn),
}

export const createConsoleI18n = () => createAppI18n(consoleMessages)
