// Login form logic shared by the mobile and console login pages.
import { computed, reactive, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useI18n } from 'vue-i18n'
import { LAST_LOGIN_KEY, useSessionStore } from './session'
import { REASON_EXPIRED, redirectTarget } from './guard'
import { errorText } from '../i18n'
import { loadDraft, saveDraft, clearDraft } from './draft'

const LOGIN_DRAFT = 'login'

export function useLogin() {
  const { t, te, locale } = useI18n()
  const route = useRoute()
  const router = useRouter()
  const session = useSessionStore()

  const expired = computed(() => route.query.reason === REASON_EXPIRED)
  // The login name is kept across reloads of the page and, after an expiry, filled in again (never the password).
  const lastLogin = expired.value ? globalThis.localStorage?.getItem(LAST_LOGIN_KEY) : null
  const form = reactive({ login: loadDraft<string>(LOGIN_DRAFT) ?? lastLogin ?? '', password: '' })
  const submitting = ref(false)
  const error = ref('')

  async function submit() {
    if (submitting.value) return
    error.value = ''
    if (!form.login.trim() || !form.password) {
      error.value = t('common.required')
      return
    }
    submitting.value = true
    saveDraft(LOGIN_DRAFT, form.login)
    try {
      await session.login(form.login, form.password)
      clearDraft(LOGIN_DRAFT)
      form.password = ''
      await router.replace(redirectTarget(route.query))
    } catch (e) {
      error.value = errorText(t, te, e, locale.value)
      form.password = ''
    } finally {
      submitting.value = false
    }
  }

  return { form, submitting, error, expired, submit }
}
