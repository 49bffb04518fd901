// Mobile app at 360×740: login, home, scan, language, offline indicator, session expiry.
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test, expect, shot, loginMobile, submitMobileLogin, expectNoHorizontalScroll, setLocale } from './fixtures'

const QR_FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'qr-point.png')

test.describe('mobile', () => {
  test('/ on a phone opens the mobile app', async ({ page }) => {
    await page.goto('/')
    await expect(page).toHaveURL(/\/m\/login/)
  })

  test('wrong password is refused with a message, in Chinese', async ({ page }) => {
    await submitMobileLogin(page, 'welder2', 'not-the-password')
    await expect(page.getByTestId('login-error')).toHaveText('登录名或密码不正确')
    await expect(page).toHaveURL(/\/m\/login/)
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-login-error-zh')
  })

  test('login opens home with tasks first, a big report action and the scan action', async ({ page }) => {
    await loginMobile(page, 'welder1')
    await expect(page).toHaveURL(/\/m\/$/)
    await expect(page.getByTestId('greeting')).toContainText('你好')
    await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'true')
    // No task module is installed yet: an empty state that says what to do.
    await expect(page.getByTestId('tasks-empty')).toContainText('上报隐患')
    const report = page.getByTestId('report-hazard')
    await expect(report).toBeVisible()
    // Until the hazard module registers its route the button is disabled and says why.
    if (await report.isDisabled()) await expect(page.getByTestId('report-unavailable')).toBeVisible()
    const box = await report.boundingBox()
    expect(box!.height).toBeGreaterThanOrEqual(44)
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-home-zh')
  })

  test('every tappable element on home and me is at least 44 px', async ({ page }) => {
    await loginMobile(page, 'welder2')
    await expect(page.getByTestId('greeting')).toBeVisible()
    for (const path of ['/m/', '/m/me']) {
      await page.goto(path)
      await page.waitForLoadState('networkidle')
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('button, a, [role="button"], .van-cell--clickable, .van-tabbar-item')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.height < 44 || r.width < 44)
          .map(({ el, r }) => `${Math.round(r.width)}x${Math.round(r.height)} ${el}`),
      )
      expect(small, path).toEqual([])
    }
  })

  test('offline indicator shows when the network drops', async ({ page, context }) => {
    await loginMobile(page, 'welder2')
    await expect(page.getByTestId('greeting')).toBeVisible()
    await context.setOffline(true)
    await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'false')
    await expect(page.getByRole('alert').first()).toBeVisible()
    await shot(page, 'mobile-home-offline')
    await context.setOffline(false)
    await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'true')
  })

  test('language switch to English and back; "me" shows the profile; logout', async ({ page }) => {
    await loginMobile(page, 'leader1')
    await page.getByTestId('tab-me').click()
    await expect(page.getByTestId('me-name')).not.toBeEmpty()
    await shot(page, 'mobile-me-zh')
    await page.getByTestId('lang-switch').click()
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByTestId('logout')).toHaveText('Sign out')
    await expect(page.locator('.van-action-sheet')).toBeHidden()
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-me-en')
    // The choice survives a reload.
    await page.reload()
    await expect(page.getByTestId('logout')).toHaveText('Sign out')
    await page.getByTestId('tab-home').click()
    await expect(page.getByTestId('report-hazard')).toContainText('Report a hazard')
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-home-en')
    await page.getByTestId('tab-scan').click()
    await expect(page.getByTestId('scan-start')).toContainText('Open camera')
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-scan-en')
    await page.getByTestId('tab-me').click()
    await page.getByTestId('lang-switch').click()
    await page.getByRole('button', { name: '简体中文' }).click()
    await expect(page.getByTestId('logout')).toHaveText('退出登录')
    await page.getByTestId('logout').click()
    await page.locator('.van-dialog__confirm').click()
    await expect(page).toHaveURL(/\/m\/login/)
  })

  test('English login page at 360 px', async ({ page }) => {
    await setLocale(page, 'en')
    await submitMobileLogin(page, 'welder2', 'wrong-password-en')
    await expect(page.getByTestId('login-error')).toHaveText('Wrong login or password')
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-login-error-en')
  })

  test('scan decodes a QR code picture with the bundled decoder, wasm served by SafeLoop', async ({ page, baseURL }) => {
    const foreign: string[] = []
    const wasm: string[] = []
    page.on('request', (r) => {
      const url = r.url()
      if (!url.startsWith(baseURL!) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url)
      if (url.endsWith('.wasm')) wasm.push(url)
    })
    await loginMobile(page, 'welder2')
    await page.getByTestId('tab-scan').click()
    await expect(page.getByTestId('scan-start')).toBeVisible()
    await shot(page, 'mobile-scan')
    await page.getByTestId('scan-file').setInputFiles(QR_FIXTURE)
    await expect(page.getByTestId('scan-text')).toHaveText('SAFELOOP:POINT:e2e-crane-07')
    // Desktop Linux Chromium has no native BarcodeDetector: the polyfill did the work.
    await expect(page.getByTestId('scan-engine')).toHaveAttribute('data-engine', /native|polyfill/)
    if ((await page.getByTestId('scan-engine').getAttribute('data-engine')) === 'polyfill') {
      expect(wasm.length).toBeGreaterThan(0)
      expect(wasm.every((u) => u.startsWith(baseURL!))).toBe(true)
    }
    expect(foreign).toEqual([])
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-scan-result')
  })

  test('session expiry sends the user back to login with a message, then back where they were', async ({ page }) => {
    await loginMobile(page, 'welder2')
    await page.getByTestId('tab-me').click()
    await expect(page.getByTestId('me-name')).not.toBeEmpty()
    // The server no longer knows this token (as after expiry or a server-side logout).
    await page.evaluate(() => localStorage.setItem('safeloop.token', JSON.stringify({ token: 'expired-token' })))
    await page.reload()
    await expect(page).toHaveURL(/\/m\/login/)
    await expect(page.getByTestId('session-expired')).toBeVisible()
    await shot(page, 'mobile-session-expired')
    await page.getByTestId('login-name').locator('input').fill('welder2')
    await page.getByTestId('login-password').locator('input').fill('demo-2026')
    await page.getByTestId('login-submit').click()
    await expect(page).toHaveURL(/\/m\/me$/)
  })

  test('the PWA manifest and service worker are served', async ({ page, request }) => {
    const manifest = await request.get('/manifest.webmanifest')
    expect(manifest.status()).toBe(200)
    const body = (await manifest.json()) as { start_url: string; icons: { src: string }[] }
    expect(body.start_url).toBe('/m/')
    for (const icon of body.icons) expect((await request.get(icon.src)).status(), icon.src).toBe(200)
    const sw = await request.get('/sw.js')
    expect(sw.status()).toBe(200)
    const text = await sw.text()
    expect(text).toContain('mobile.html')
    expect(text).not.toMatch(/console-[\w-]+\.js/)
    await loginMobile(page, 'welder2')
    await expect(page.getByTestId('greeting')).toBeVisible()
    const registered = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration('/m/')
      return !!reg
    })
    expect(registered).toBe(true)
  })
})
