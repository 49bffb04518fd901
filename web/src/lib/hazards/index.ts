// Hazard helpers shared by the phone and the console. Apps merge `hazardMessages` into their i18n.
export * from './labels'
export * from './countdown'
import zh from './locales/zh-CN'
import en from './locales/en'
export const hazardMessages = { 'zh-CN': zh, en }
export * from './actions'
