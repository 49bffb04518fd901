// The one client both apps use. The locale getter is wired by i18n setup (see lib/i18n).
import { ApiClient } from './client'
import { createTokenStore } from '../auth/token'

let currentLocale = 'zh-CN'
export function setApiLocale(locale: string) {
  currentLocale = locale
}

export const api = new ApiClient({ tokens: createTokenStore(), locale: () => currentLocale })

export { ApiError, isApiError } from './errors'
export type * from './types'
export type * from './hazards'
