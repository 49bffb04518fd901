// Shared test fixtures: the server URL from global setup, API helpers, screenshots for reviewers.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PASSWORD = 'demo-2026'
export const SCREENSHOT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots')

export interface Api {
  token(login: string, password?: string): Promise<string>
  get<T = unknown>(token: string, path: string): Promise<{ status: number; body: T }>
  post<T = unknown>(token: string, path: string, data: unknown): Promise<{ status: number; body: T }>
}

export const test = base.extend<{ api: Api }>({
  baseURL: async ({}, use) => {
    const url = process.env.SAFELOOP_URL
    if (!url) throw new Error('SAFELOOP_URL not set: global setup did not run')
    await use(url)
  },
  api: async ({ request }, use) => {
    await use(makeApi(request))
  },
  // Every page fails its test when the browser reports a Content-Security-Policy violation (the server's policy
  // allows this origin only: docs/api.md "Headers on every answer").
  page: async ({ page }, use) => {
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    await use(page)
    expect(violations, 'CSP violations').toEqual([])
  },
})

export { expect }

function makeApi(request: APIRequestContext): Api {
  const headers = (token: string) => ({ Authorization: `Bearer ${token}` })
  return {
    async token(login, password = PASSWORD) {
      const r = await request.post('/api/v1/auth/login', { data: { login, password } })
      expect(r.status(), `login ${login}`).toBe(200)
      return ((await r.json()) as { token: string }).token
    },
    async get(token, path) {
      const r = await request.get(`/api/v1${path}`, { headers: headers(token) })
      return { status: r.status(), body: await r.json().catch(() => null) }
    },
    async post(token, path, data) {
      const r = await request.post(`/api/v1${path}`, { headers: headers(token), data })
      return { status: r.status(), body: await r.json().catch(() => null) }
    },
  }
}

/** Saves a full-page screenshot under test-results/screenshots/ for a reviewer to look at. */
export async function shot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.evaluate(() => document.fonts.ready)
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

/** Nothing sticks out sideways: the page is readable at its viewport width. */
export async function expectNoHorizontalScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }))
  expect(scroll, 'page wider than the viewport').toBeLessThanOrEqual(width)
}

export async function setLocale(page: Page, locale: 'zh-CN' | 'en') {
  await page.addInitScript((l) => {
    if (!sessionStorage.getItem('e2e.locale-set')) {
      localStorage.setItem('safeloop.locale', l)
      sessionStorage.setItem('e2e.locale-set', '1')
    }
  }, locale)
}

/** Fills and submits the mobile login form (does not wait for the outcome). */
export async function submitMobileLogin(page: Page, login: string, password = PASSWORD) {
  await page.goto('/m/login')
  await page.getByTestId('login-name').locator('input').fill(login)
  await page.getByTestId('login-password').locator('input').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Signs in on the mobile app and waits until the app has left the login page. */
export async function loginMobile(page: Page, login: string, password = PASSWORD) {
  await submitMobileLogin(page, login, password)
  await expect(page).not.toHaveURL(/\/login/)
}

/** Fills and submits the console login form (does not wait for the outcome). */
export async function submitConsoleLogin(page: Page, login: string, password = PASSWORD) {
  await page.goto('/console/login')
  // Element Plus puts data-testid on the <input> itself (Vant puts it on the field's wrapper).
  await page.getByTestId('login-name').fill(login)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** Signs in on the console and waits until the app has left the login page. */
export async function loginConsole(page: Page, login: string, password = PASSWORD) {
  await submitConsoleLogin(page, login, password)
  await expect(page).not.toHaveURL(/\/login/)
}
