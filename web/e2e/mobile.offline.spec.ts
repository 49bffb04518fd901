// Issue 5, the phone side, in real Chromium on a phone viewport: the app opens with no network, 20
// hazards with photos are reported offline, the browser is closed and started again on the same
// profile (IndexedDB survives), the network returns and the outbox syncs — the server holds exactly
// those 20 hazards and their photos; then the whole outbox is sent again and there are still exactly 20.
// A persistent context (not `storageState`, which does not carry IndexedDB) keeps the phone's storage.
import { chromium, devices, type BrowserContext, type Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { png } from './png'
import { test, expect, shot, loginMobile, PASSWORD } from './fixtures'

// ---- small real PNGs, made here so each photo has its own content (and file id) ----

const seed = () => Math.floor(Math.random() * 1_000_000)

const COUNT = 20
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

function launch(userDataDir: string, baseURL: string): Promise<BrowserContext> {
  const pixel = devices['Pixel 5']
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: chromiumArgs,
    baseURL,
    userAgent: pixel.userAgent,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
}

async function firstPage(ctx: BrowserContext): Promise<Page> {
  return ctx.pages()[0] ?? (await ctx.newPage())
}

async function statusCounts(page: Page) {
  const n = async (id: string) => Number((await page.getByTestId(id).textContent())?.trim())
  return { waiting: await n('sync-count-waiting'), sending: await n('sync-count-sending'), refused: await n('sync-count-refused') }
}

test.describe('offline phone (issue 5)', () => {
  test('20 hazards with photos reported offline survive a browser restart and sync exactly once, also when re-sent', async ({ baseURL, api, request }) => {
    test.setTimeout(300_000)
    const tag = `离线${Date.now().toString(36)}`
    const dir = mkdtempSync(join(tmpdir(), 'safeloop-offline-profile-'))
    const base = seed() % 200
    try {
      // ---- online: sign in, let the service worker take over and the first sync fill the local view ----
      let ctx = await launch(dir, baseURL!)
      let page = await firstPage(ctx)
      await page.goto('/m/login')
      await page.getByTestId('login-name').locator('input').fill('welder2')
      await page.getByTestId('login-password').locator('input').fill(PASSWORD)
      await page.getByTestId('login-submit').click()
      await expect(page).not.toHaveURL(/\/login/)
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 })
      await page.reload() // now /me goes through the service worker, which keeps it for offline starts
      await page.goto('/m/sync')
      await expect(page.getByTestId('sync-last-success')).not.toContainText('从未', { timeout: 30_000 })

      // ---- offline: reload, the app still opens ----
      await ctx.setOffline(true)
      await page.reload()
      await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'false')
      await expect(page.getByTestId('sync-summary')).toBeVisible()
      await page.goto('/m/')
      await expect(page.getByTestId('report-hazard')).toBeEnabled()

      // ---- report 20 hazards with a photo each, no network ----
      await page.getByTestId('report-hazard').click()
      await expect(page).toHaveURL(/\/m\/hazards\/new/)
      await page.reload() // the report screen itself opens from the cache
      await expect(page.getByTestId('report-camera')).toBeVisible()
      for (let i = 1; i <= COUNT; i++) {
        await page.getByTestId('report-camera-input').setInputFiles({ name: `p${i}.png`, mimeType: 'image/png', buffer: png(base + i) })
        await expect(page.getByTestId('report-photo')).toHaveAttribute('data-status', 'done')
        await page.getByTestId('grade-blue').click()
        await page.getByTestId('report-title').locator('input').fill(`${tag} #${i}`)
        await page.getByTestId('report-submit').click()
        await expect(page.getByTestId('report-done')).toBeVisible()
        // Kept on the phone, not yet on the server: the record says so.
        await expect(page.getByTestId('report-done').getByTestId('sync-state')).toHaveAttribute('data-sync-state', 'waiting')
        if (i === 1) await shot(page, 'mobile-offline-reported-zh')
        await page.getByTestId('report-another').click()
      }

      // The phone shows all 20 as waiting, and lists them among "my hazards" with no network.
      await page.goto('/m/sync')
      await expect(page.getByTestId('sync-count-waiting')).toHaveText(String(COUNT))
      await expect(page.getByTestId('sync-record')).toHaveCount(COUNT)
      await shot(page, 'mobile-sync-status-offline-zh')
      await page.goto('/m/hazards?tab=reported')
      const offlineCards = page.getByTestId('hazard-list-reported').getByTestId('hazard-card').filter({ hasText: tag })
      await expect(offlineCards).toHaveCount(COUNT)
      await expect(offlineCards.locator('[data-testid="sync-state"][data-sync-state="waiting"]')).toHaveCount(COUNT)
      await shot(page, 'mobile-offline-my-hazards-zh')

      // ---- kill the browser and start it again on the same profile, still offline ----
      await ctx.close()
      ctx = await launch(dir, baseURL!)
      await ctx.setOffline(true)
      page = await firstPage(ctx)
      await page.goto('/m/sync')
      await expect(page.getByTestId('sync-count-waiting')).toHaveText(String(COUNT))

      // ---- the network returns: the outbox syncs by itself ----
      await ctx.setOffline(false)
      await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'true')
      await expect.poll(() => statusCounts(page), { timeout: 60_000 }).toEqual({ waiting: 0, sending: 0, refused: 0 })
      await expect(page.getByTestId('sync-empty')).toBeVisible()
      await shot(page, 'mobile-sync-status-synced-zh')
      // "My hazards" now shows the server's copies (codes, assignees), no longer waiting.
      await page.goto('/m/hazards?tab=reported')
      const syncedCards = page.getByTestId('hazard-list-reported').getByTestId('hazard-card').filter({ hasText: tag })
      await expect(syncedCards).toHaveCount(COUNT)
      await expect(syncedCards.getByTestId('sync-state')).toHaveCount(0)
      await expect(syncedCards.first()).toHaveAttribute('data-code', /^YH-\d{4}-\d{6}$/)
      await page.goto('/m/sync')

      // The server holds exactly those 20, each with its photo.
      const token = await api.token('welder2')
      const me = await api.get<{ id: string }>(token, '/me')
      // Every hazard welder2 reported, all pages (other specs report as welder2 too), then ours by title.
      const ours = async () => {
        const all: { id: string; title: string; photos: string[] }[] = []
        let cursor = ''
        for (let page = 0; page < 50; page++) {
          const r = await api.get<{ items: { id: string; title: string; photos: string[] }[]; next_cursor?: string | null }>(
            token,
            `/hazards?reporter_id=${me.body.id}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          )
          expect(r.status).toBe(200)
          all.push(...r.body.items)
          if (!r.body.next_cursor) break
          cursor = r.body.next_cursor
        }
        return all.filter((h) => h.title.startsWith(tag))
      }
      const synced = await ours()
      expect(synced).toHaveLength(COUNT)
      expect(new Set(synced.map((h) => h.title)).size).toBe(COUNT)
      const photos = synced.flatMap((h) => h.photos)
      expect(photos).toHaveLength(COUNT)
      expect(new Set(photos).size).toBe(COUNT)
      for (const id of photos) {
        const r = await request.get(`/api/v1/files/${id}`, { headers: { Authorization: `Bearer ${token}` } })
        expect(r.status(), `photo ${id}`).toBe(200)
      }

      // ---- send the whole outbox again: the server recognises every mutation, still exactly 20 ----
      await page.getByTestId('sync-resend-all').click()
      await page.locator('.van-dialog__confirm').click()
      await expect.poll(() => statusCounts(page), { timeout: 60_000 }).toEqual({ waiting: 0, sending: 0, refused: 0 })
      await page.getByTestId('sync-show-synced').click()
      await expect(page.getByTestId('sync-record').filter({ hasText: '已尝试 2 次' })).toHaveCount(COUNT)
      await shot(page, 'mobile-sync-status-resent-zh')
      const again = await ours()
      expect(again).toHaveLength(COUNT)
      expect(again.map((h) => h.id).sort()).toEqual(synced.map((h) => h.id).sort())
      await ctx.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('an accept made offline on a hazard reassigned meanwhile is refused with the reason; the worker discards it', async ({ page, api }) => {
    test.setTimeout(120_000)
    const admin = await api.token('admin')
    const users = async (login: string) => (await api.get<{ items?: { id: string }[] } | { id: string }[]>(admin, `/users?login=${login}`)).body
    const idOf = async (login: string) => {
      const b = await users(login)
      return (Array.isArray(b) ? b : (b.items ?? []))[0]!.id
    }
    const leader = await idOf('leader1')
    // Someone else in leader1's team (leader1 still sees the hazard, and the server names the conflict),
    // but none of the demo logins other specs sign in as: welder1's home must stay free of tasks.
    type Person = { id: string; login: string; team_id: string | null }
    const teamOf = (await api.get<{ items: Person[] }>(admin, '/users?login=leader1')).body.items[0]!.team_id
    const team = (await api.get<{ items: Person[] }>(admin, `/users?team_id=${teamOf}&limit=100`)).body.items
    const taken = new Set(['leader1', 'welder1', 'welder2', 'director1', 'safety', 'vp', 'admin', 'auditor'])
    const welder = team.find((p) => !taken.has(p.login))!.id
    const created = await api.post<{ id: string; status: string }>(admin, '/hazards', { title: `e2e 离线接收冲突 ${Date.now().toString(36)}`, grade: 'blue', assignee_id: leader })
    expect(created.status).toBe(201)
    const id = created.body.id

    await loginMobile(page, 'leader1')
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 30_000 })
    await page.goto(`/m/hazards/${id}`) // read once online: the phone keeps it
    await expect(page.getByTestId('action-accept')).toBeVisible()

    // Offline: accept. The phone shows it accepted, waiting to sync.
    await page.context().setOffline(true)
    await page.getByTestId('action-accept').click()
    await expect(page.getByTestId('hazard-detail')).toHaveAttribute('data-status', 'accepted')
    await expect(page.getByTestId('hazard-detail').getByTestId('sync-state')).toHaveAttribute('data-sync-state', 'waiting')

    // Meanwhile the administrator gives the hazard to someone else.
    const r = await api.post(admin, `/hazards/${id}/reassign`, { assignee_id: welder, reason: 'e2e: 换人处理' })
    expect(r.status).toBe(200)

    // Back online: the server refuses the stale accept and says why.
    await page.context().setOffline(false)
    await page.goto('/m/sync')
    await expect(page.getByTestId('sync-count-refused')).toHaveText('1', { timeout: 30_000 })
    const rec = page.getByTestId('sync-record').filter({ has: page.getByTestId('sync-record-reason') }).first()
    await expect(rec).toHaveAttribute('data-state', 'refused')
    await expect(rec.getByTestId('sync-record-reason')).toContainText('改派')
    await shot(page, 'mobile-sync-status-refused-zh')
    // The server did not apply it: the hazard is the teammate's, not accepted.
    const now = await api.get<{ status: string; assignee_id: string }>(admin, `/hazards/${id}`)
    expect(now.body).toMatchObject({ status: 'assigned', assignee_id: welder })

    await rec.getByTestId('sync-discard').click()
    await page.locator('.van-dialog__confirm').click()
    await expect(page.getByTestId('sync-count-refused')).toHaveText('0')
  })
})
