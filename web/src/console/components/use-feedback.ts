// Success and error messages for every console screen, in the user's language (failures from the
// server translated by their code, field errors for el-form-item, role names).
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { errorText, pickLanguage } from '@/lib/i18n'
import { isApiError } from '@/lib/api/errors'

export function useFeedback() {
  const { t, te, locale } = useI18n()

  /** Shows why something failed; session expiry is handled by the router (back to login). */
  function fail(error: unknown) {
    if (isApiError(error) && error.code === 'unauthenticated') return
    ElMessage.error({ message: errorText(t, te, error, locale.value), duration: 5000, showClose: true })
  }
  function done(key: string) {
    ElMessage.success(t(key))
  }
  /** The server's per-field messages, for `<el-form-item :error>`. */
  function fieldErrors(error: unknown): Record<string, string> {
    if (!isApiError(error)) return {}
    return Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, pickLanguage(v, locale.value)]))
  }
  function roleLabel(role: { key: string; name_zh?: string; name_en?: string }): string {
    if (locale.value === 'en' && role.name_en) return role.name_en
    if (locale.value !== 'en' && role.name_zh) return role.name_zh
    return te(`roles.${role.key}`) ? t(`roles.${role.key}`) : role.key
  }
  const localized = (message: string) => pickLanguage(message, locale.value)
  return { fail, done, fieldErrors, roleLabel, localized }
}
