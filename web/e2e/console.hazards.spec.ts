// Console hazard screens and notification settings at 1366×768 against the real server: the board
// matches GET /hazards/board, the ledger filters, a detail shows its timeline, a reassignment with a
// reason, an extension approved in the console moves the deadline, the SMS test message reaches a local
// gateway in the CONTRACT.md format and shows in the delivery log, and a worker sees none of it.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import type { Page } from '@playwright/test'
import { test, expect, shot, loginConsole, expectNoHorizontalScroll, setLocale, type Api } from './fixtures'

interface HazardBody {
  id: string
  code: string
  status: string
  grade: string
  due_at: string
  assignee_id: string | null
  events?: { type: string; data: Record<string, unknown> }[]
}
interface Board {
  active: number
  overdue: number
  cells: { status: string; grade: string; count: number }[]
}

async function userId(api: Api, token: string, login: string): Promise<{ id: string; name: string; mobile: string }> {
  const r = await api.get<{ items: { id: string; login: string; name: string; mobile: string }[] }>(token, `/users?login=${login}`)
  const u = r.body.items.find((x) => x.login === login)
  expect(u, `user ${login}`).toBeDefined()
  return u!
}

/** A fresh hazard of this test's own, assigned to `assignee` (the demo database is shared by all specs). */
async function createHazard(api: Api, token: string, assigneeId: string, title: string, grade = 'yellow'): Promise<HazardBody> {
  const r = await api.post<HazardBody>(token, '/hazards', {
    id: randomUUID(),
    title,
    description: 'e2e: console hazard screens',
    category: '电气',
    grade,
    assignee_id: assigneeId,
    location: '焊接一车间 3 号工位',
  })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body
}

const ICONS = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons')

/** Stores a PNG through POST /files (raw body) and returns its id. */
async function upload(page: Page, token: string, name: string): Promise<string> {
  const r = await page.request.post('/api/v1/files', { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' }, data: readFileSync(resolve(ICONS, name)) })
  expect(r.status(), await r.text()).toBeLessThan(300)
  return ((await r.json()) as { id: string }).id
}

const kpi = (page: Page, id: string) => page.getByTestId(id).locator('.kpi__value')

test.describe('console hazards', () => {
  test('safety officer: the board matches the API, a cell opens the filtered ledger, a detail shows its timeline', async ({ page, api }) => {
    const token = await api.token('safety')
    await loginConsole(page, 'safety')
    await page.getByTestId('menu-group-hazards').click()
    await page.getByTestId('menu-hazards-board').click()
    await expect(page.getByTestId('hazard-board')).toBeVisible()

    // Other specs may report hazards meanwhile: compare a fresh API answer with a fresh screen until both agree.
    await expect
      .poll(
        async () => {
          await page.getByTestId('board-refresh').click()
          await expect(page.getByTestId('board-refresh')).not.toHaveClass(/is-loading/)
          const board = (await api.get<Board>(token, '/hazards/board')).body
          const shown = {
            active: Number(await kpi(page, 'board-active').textContent()),
            overdue: Number(await kpi(page, 'board-overdue').textContent()),
            assignedRed: Number(await page.getByTestId('cell-assigned-red').textContent()),
            acceptedYellow: Number(await page.getByTestId('cell-accepted-yellow').textContent()),
          }
          const cell = (s: string, g: string) => board.cells.filter((c) => c.status === s && c.grade === g).reduce((n, c) => n + c.count, 0)
          const expected = { active: board.active, overdue: board.overdue, assignedRed: cell('assigned', 'red'), acceptedYellow: cell('accepted', 'yellow') }
          return JSON.stringify(shown) === JSON.stringify(expected) && board.active > 0 && board.overdue > 0
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    await expect(page.getByTestId('board-most-overdue').locator('tbody tr').first()).toContainText('逾期')
    await expect(page.getByTestId('board-departments').locator('tbody tr').first()).toBeVisible()
    await expectNoHorizontalScroll(page)
    await shot(page, 'console-hazard-board-zh')

    // A cell → the ledger with that status and grade.
    const mine = await createHazard(api, token, (await userId(api, token, 'leader1')).id, 'e2e 看板到台账:配电箱门未关')
    await page.getByTestId('board-refresh').click()
    await page.getByTestId('cell-assigned-yellow').click()
    await expect(page).toHaveURL(/hazards\/list\?status=assigned&grade=yellow/)
    const table = page.getByTestId('hazard-table')
    await expect(table.locator('tbody tr').first()).toBeVisible()
    const statuses = await table.locator('[data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))
    expect(statuses.length).toBeGreaterThan(0)
    expect(new Set(statuses)).toEqual(new Set(['assigned']))
    const grades = await table.locator('[data-grade]').evaluateAll((els) => els.map((e) => e.getAttribute('data-grade')))
    expect(new Set(grades)).toEqual(new Set(['yellow']))

    // Filter by code: exactly this test's hazard.
    await page.getByTestId('filter-code').fill(mine.code)
    await page.getByTestId('filter-search').click()
    await expect(table.locator('tbody tr')).toHaveCount(1)
    await expect(table).toContainText(mine.code)
    // Overdue only (all statuses and grades): every row is marked late.
    await page.getByRole('button', { name: '重置' }).click()
    await expect(page).toHaveURL(/hazards\/list$/)
    await page.getByTestId('filter-overdue').click()
    await page.getByTestId('filter-search').click()
    await expect(page).toHaveURL(/overdue=true/)
    await expect(table.locator('tbody tr.row--overdue').first()).toBeVisible()
    expect(await table.locator('tbody tr').count()).toBe(await table.locator('tbody tr.row--overdue').count())
    await shot(page, 'console-hazard-list-zh')

    // The detail of an overdue hazard with its history.
    await table.locator('tbody tr').first().click()
    await expect(page.getByTestId('hazard-detail')).toBeVisible()
    await expect(page.getByTestId('detail-overdue')).toContainText('逾期')
    await expect(page.getByTestId('timeline')).toBeVisible()
    await expect(page.getByTestId('event-reported')).toHaveCount(1)
    await expect(page.getByTestId('detail-provincial')).toContainText('省平台状态')
    await expectNoHorizontalScroll(page)
    await shot(page, 'console-hazard-detail-zh')

    // The overdue list, earliest deadline first.
    await page.getByTestId('menu-hazards-overdue').click()
    await expect(page.getByTestId('hazard-overdue')).toBeVisible()
    await expect(page.getByTestId('hazard-table').locator('tbody tr').first()).toBeVisible()
    await shot(page, 'console-hazard-overdue-zh')
  })

  test('safety officer verifies a rectification in the console: photos, before/after, signature with hash', async ({ page, api }) => {
    const safety = await api.token('safety')
    const leader = await userId(api, safety, 'leader1')
    const leaderToken = await api.token('leader1')
    const photo = await upload(page, safety, 'icon-192.png')
    const before = await upload(page, leaderToken, 'icon-512.png')
    const after = await upload(page, leaderToken, 'maskable-512.png')
    const signature = await upload(page, leaderToken, 'apple-touch-icon.png')
    const created = await api.post<HazardBody>(safety, '/hazards', {
      id: randomUUID(),
      title: 'e2e 验收:焊机接地线破损',
      description: '2 号焊机接地线绝缘层破损',
      category: '电气',
      grade: 'blue',
      assignee_id: leader.id,
      photos: [photo],
      hazard_type: 3,
      management_class: 2,
      occurrence_link: 5,
    })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await api.post(leaderToken, `/hazards/${id}/accept`, {})).status).toBe(200)
    const rectified = await api.post(leaderToken, `/hazards/${id}/rectify`, {
      evidence: [
        { kind: 'before_photo', file_id: before },
        { kind: 'after_photo', file_id: after },
      ],
      position: { lat: 30.0321, lng: 120.5812, accuracy_m: 6 },
      signature_file_id: signature,
      note: '已更换接地线并复测绝缘',
    })
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(200)

    await loginConsole(page, 'safety')
    await page.goto(`/console/hazards/${id}`)
    await expect(page.getByTestId('detail-status')).toHaveAttribute('data-status', 'submitted')
    await expect(page.getByTestId('detail-provincial')).toContainText('电气')
    const photos = page.getByTestId('detail-photos').getByTestId('file-thumb').locator('img')
    await expect(photos).toHaveCount(1)
    await expect(photos.first()).toHaveJSProperty('complete', true)
    const round = page.getByTestId('round-1')
    await expect(round).toContainText('整改前')
    await expect(round).toContainText('整改后')
    await expect(round.getByTestId('file-thumb').locator('img')).toHaveCount(3)
    await expect(round.getByTestId('signature')).toContainText(/[0-9a-f]{64}/)
    await expect(round.getByTestId('signature')).toContainText(leader.name)
    await page.getByTestId('action-pass').click()
    await page.getByTestId('verify-comment').fill('现场复核合格')
    await page.getByTestId('verify-submit').click()
    await expect(page.getByTestId('detail-status')).toHaveAttribute('data-status', 'closed')
    await expect(page.getByTestId('event-closed')).toContainText('现场复核合格')
    await expect(round).toContainText('通过')
    // A photo opens whole.
    await photos.first().click()
    await expect(page.locator('.el-dialog img')).toBeVisible()
    await page.keyboard.press('Escape')
    await shot(page, 'console-hazard-detail-closed-zh')
  })

  test('no 验收 on a rectification the safety officer submitted himself: the buttons are the server\'s actions', async ({ page, api }) => {
    const safety = await api.token('safety')
    const me = await api.get<{ id: string }>(safety, '/me')
    const before = await upload(page, safety, 'icon-512.png')
    const after = await upload(page, safety, 'maskable-512.png')
    const signature = await upload(page, safety, 'apple-touch-icon.png')
    const created = await api.post<HazardBody>(safety, '/hazards', { id: randomUUID(), title: `e2e 自己整改 ${Date.now().toString(36)}`, grade: 'blue', assignee_id: me.body.id })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect((await api.post(safety, `/hazards/${id}/accept`, {})).status).toBe(200)
    const rectified = await api.post(safety, `/hazards/${id}/rectify`, {
      evidence: [
        { kind: 'before_photo', file_id: before },
        { kind: 'after_photo', file_id: after },
      ],
      position: { lat: 30.0321, lng: 120.5812, accuracy_m: 6 },
      signature_file_id: signature,
    })
    expect(rectified.status, JSON.stringify(rectified.body)).toBe(200)
    const detail = await api.get<{ status: string; actions?: string[] }>(safety, `/hazards/${id}`)
    expect(detail.body.status).toBe('submitted')
    expect(detail.body.actions ?? []).not.toContain('verify')
    // And the server refuses it, as the absent button says.
    expect((await api.post(safety, `/hazards/${id}/verify`, { result: 'pass' })).status).toBeGreaterThanOrEqual(400)

    await loginConsole(page, 'safety')
    await page.goto(`/console/hazards/${id}`)
    await expect(page.getByTestId('detail-status')).toHaveAttribute('data-status', 'submitted')
    await expect(page.getByTestId('round-1')).toBeVisible()
    await expect(page.getByTestId('action-pass')).toHaveCount(0)
    await expect(page.getByTestId('action-fail')).toHaveCount(0)
  })

  test('a video among the photos plays in the detail', async ({ page, api }) => {
    const safety = await api.token('safety')
    const leader = await userId(api, safety, 'leader1')
    await loginConsole(page, 'safety')
    // Record one second of a canvas as WebM in the browser and store it, as a phone would.
    const videoId = await page.evaluate(async () => {
      const canvas = document.createElement('canvas')
      canvas.width = 160
      canvas.height = 120
      const ctx = canvas.getContext('2d')!
      const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: 'video/webm' })
      const chunks: Blob[] = []
      recorder.ondataavailable = (e) => chunks.push(e.data)
      const stopped = new Promise((r) => (recorder.onstop = r))
      recorder.start()
      for (let i = 0; i < 15; i++) {
        ctx.fillStyle = `hsl(${i * 24}, 80%, 50%)`
        ctx.fillRect(0, 0, 160, 120)
        await new Promise((r) => setTimeout(r, 70))
      }
      recorder.stop()
      await stopped
      const token = (JSON.parse(localStorage.getItem('safeloop.token')!) as { token: string }).token
      const r = await fetch('/api/v1/files', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'video/webm' }, body: new Blob(chunks, { type: 'video/webm' }) })
      return ((await r.json()) as { id: string }).id
    })
    const created = await api.post<HazardBody>(safety, '/hazards', { id: randomUUID(), title: 'e2e 视频:行车异响', category: '设备', grade: 'blue', assignee_id: leader.id, photos: [videoId] })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await page.goto(`/console/hazards/${created.body.id}`)
    await page.getByTestId('detail-photos').getByTestId('file-thumb').first().click()
    const video = page.getByTestId('file-video')
    await expect(video).toBeVisible()
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1)
    await video.evaluate((v: HTMLVideoElement) => v.play())
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0)
  })

  test('admin edits hazard settings: a server refusal shows on its rule, a valid change is saved', async ({ page, api }) => {
    const token = await api.token('admin')
    const before = (await api.get<{ archive_after_days: number; evidence: unknown[] }>(token, '/hazards/settings')).body
    await loginConsole(page, 'admin')
    await page.goto('/console/hazards/settings')
    await expect(page.getByTestId('grade-red-deadline').locator('input')).toHaveValue('120')
    const rules = before.evidence.length
    await page.getByRole('button', { name: '添加规则' }).click()
    const added = page.getByTestId(`evidence-rule-${rules}`)
    await added.getByPlaceholder('类别').fill('起重')
    await added.locator('.kinds input').fill('k'.repeat(60))
    await page.keyboard.press('Enter')
    await page.getByTestId('settings-save').click()
    await expect(page.getByText('有字段未通过校验')).toBeVisible()
    await expect(added.locator('.field-error')).toContainText(/grade|kinds/)
    // Remove the bad rule, change the archive period: saved.
    await added.getByRole('button', { name: '删除' }).click()
    await page.getByTestId('settings-archive-days').locator('input').fill('45')
    await page.getByTestId('settings-save').click()
    await expect(page.getByText('隐患设置已保存')).toBeVisible()
    expect((await api.get<{ archive_after_days: number }>(token, '/hazards/settings')).body.archive_after_days).toBe(45)
    const r = await page.request.put('/api/v1/hazards/settings', { headers: { Authorization: `Bearer ${token}` }, data: { archive_after_days: before.archive_after_days } })
    expect(r.status()).toBe(200)
  })

  test('an escalated demo hazard shows who was told and its work order; work orders list and detail', async ({ page, api }) => {
    const token = await api.token('admin')
    const orders = await api.get<{ items: { id: string; hazard_id: string; status: string }[] }>(token, '/work-orders?limit=20')
    expect(orders.body.items.length, 'the demo history has work orders').toBeGreaterThan(0)
    const order = orders.body.items[0]!
    await loginConsole(page, 'admin')
    await page.goto(`/console/hazards/${order.hazard_id}`)
    const escalation = page.getByTestId('event-escalated').first()
    await expect(escalation).toBeVisible()
    await expect(escalation.getByTestId('escalation-recipient').first()).toContainText('短信')
    await expect(page.getByTestId('escalation-work-order').first()).toBeVisible()
    await shot(page, 'console-hazard-detail-escalated-zh')
    await page.getByTestId('escalation-work-order').first().click()
    await expect(page.getByTestId('work-order-detail')).toBeVisible()
    await shot(page, 'console-work-order-detail-zh')
    await page.getByTestId('menu-group-hazards').click()
    await page.getByTestId('menu-hazards-work-orders').click()
    await expect(page.getByTestId('wo-table')).toBeVisible()
    await shot(page, 'console-work-orders-zh')
    await page.getByTestId('menu-hazards-metrics').click()
    await expect(page.getByTestId('metric-closure').locator('tbody tr')).toHaveCount(3)
    await expect(page.getByTestId('metric-penetration').locator('tbody tr').first()).toBeVisible()
    await expect(page.getByTestId('metric-avg')).toContainText('小时')
    await expectNoHorizontalScroll(page)
    await shot(page, 'console-hazard-metrics-zh')
    await page.getByTestId('menu-hazards-settings').click()
    await expect(page.getByTestId('grade-red-deadline').locator('input')).toHaveValue('120')
    await shot(page, 'console-hazard-settings-zh')
  })

  test('admin reassigns a hazard with a reason; the timeline shows it', async ({ page, api }) => {
    const token = await api.token('admin')
    const leader = await userId(api, token, 'leader1')
    const welder2 = await userId(api, token, 'welder2')
    const hazard = await createHazard(api, token, leader.id, 'e2e 改派:砂轮机防护罩松动')
    expect(hazard.status).toBe('assigned')

    await loginConsole(page, 'admin')
    await page.goto(`/console/hazards/${hazard.id}`)
    await expect(page.getByTestId('detail-code')).toHaveText(hazard.code)
    await page.getByTestId('action-reassign').click()
    // A reason is required.
    await page.getByTestId('assign-submit').click()
    await expect(page.locator('.el-dialog').getByText('请选择整改人')).toBeVisible()
    await page.getByTestId('assign-user').click()
    await page.keyboard.type('welder2')
    await page.locator('.el-select-dropdown__item', { hasText: welder2.name }).first().click()
    await page.getByTestId('assign-submit').click()
    await expect(page.locator('.el-dialog').getByText('改派必须填写原因')).toBeVisible()
    const reason = '班组长外出培训,由王师傅接手'
    await page.getByTestId('assign-reason').fill(reason)
    await page.getByTestId('assign-submit').click()
    await expect(page.getByTestId('event-reassigned')).toBeVisible()
    await expect(page.getByTestId('event-reassigned').getByTestId('event-reason')).toContainText(reason)
    await expect(page.getByTestId('detail-assignee')).toHaveText(welder2.name)
    const after = await api.get<HazardBody>(token, `/hazards/${hazard.id}`)
    expect(after.body.assignee_id).toBe(welder2.id)
    expect(after.body.events!.some((e) => e.type === 'reassigned' && e.data.reason === reason)).toBe(true)
  })

  test('a pending extension is approved in the console and the deadline moves', async ({ page, api }) => {
    const safety = await api.token('safety')
    const leader = await userId(api, safety, 'leader1')
    const hazard = await createHazard(api, safety, leader.id, 'e2e 延期:行车限位器待换新件', 'blue')
    // The assignee (leader1) asks for two more days; their supervisor (director1) decides.
    const leaderToken = await api.token('leader1')
    const newDue = new Date(Date.parse(hazard.due_at) + 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const ext = await api.post<{ id: string; status: string }>(leaderToken, `/hazards/${hazard.id}/extensions`, { reason: '备件到货需要两天', new_due_at: newDue })
    expect(ext.status, JSON.stringify(ext.body)).toBe(201)

    await loginConsole(page, 'director1')
    await page.getByTestId('menu-group-hazards').click()
    await page.getByTestId('menu-hazards-extensions').click()
    const row = page.getByTestId('ext-table').locator('tbody tr', { hasText: hazard.code })
    await expect(row).toContainText('备件到货需要两天')
    await shot(page, 'console-hazard-extensions-zh')
    await page.getByTestId(`ext-approve-${ext.body.id}`).click()
    await page.getByTestId('ext-comment').fill('同意,请尽快安装')
    await page.getByTestId('ext-submit').click()
    await expect(page.getByTestId('ext-table').locator('tbody tr', { hasText: hazard.code })).toHaveCount(0)

    const after = await api.get<HazardBody & { extension_count: number }>(safety, `/hazards/${hazard.id}`)
    expect(Date.parse(after.body.due_at)).toBe(Date.parse(newDue))
    expect(after.body.extension_count).toBe(1)
    await page.goto(`/console/hazards/${hazard.id}`)
    await expect(page.getByTestId('event-extension_approved')).toBeVisible()
    await expect(page.getByTestId('detail-extensions')).toContainText('已批准')
  })

  test('admin points SMS at a local gateway; the test message arrives as {to,text,ref} and shows in the delivery log', async ({ page, api }) => {
    const received: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = []
    const gateway: Server = createServer((req, res) => {
      let data = ''
      req.on('data', (c: Buffer) => (data += c.toString('utf8')))
      req.on('end', () => {
        try {
          received.push({ headers: req.headers, body: JSON.parse(data) as Record<string, unknown> })
        } catch {
          received.push({ headers: req.headers, body: { unparsable: data } })
        }
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end('{"ok":true}')
      })
    })
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`
    const token = await api.token('admin')
    const before = (await api.get<Record<string, unknown>>(token, '/settings/notify')).body
    const admin = await userId(api, token, 'admin')
    try {
      await loginConsole(page, 'admin')
      await page.getByTestId('menu-group-notify').click()
      await page.getByTestId('menu-notify-settings').click()
      await expect(page.getByTestId('notify-settings')).toBeVisible()
      // A URL that is not http(s) is refused by the server, shown on the field.
      await page.getByTestId('sms-enabled').click()
      await page.getByTestId('sms-url').fill('ftp://example')
      await page.getByTestId('notify-save').click()
      await expect(page.getByTestId('channel-sms').locator('.el-form-item__error')).toContainText('http')
      await page.getByTestId('sms-url').fill(url)
      await page.getByTestId('notify-save').click()
      await expect(page.getByTestId('channel-sms').locator('.el-form-item__error')).toHaveCount(0)
      expect((await api.get<{ sms: { url: string } | null }>(token, '/settings/notify')).body.sms?.url).toBe(url)

      await page.getByTestId('sms-test').click()
      await expect(page.getByTestId('sms-test-result')).toContainText('发送成功', { timeout: 20_000 })
      // Messages that waited for a gateway may arrive too (the server is shared): find the test message.
      const test = received.find((r) => String(r.body.text).includes('测试消息'))
      expect(test, JSON.stringify(received)).toBeDefined()
      const sms = test!.body
      expect(Object.keys(sms).sort()).toEqual(['ref', 'text', 'to'])
      expect(sms.to).toBe(admin.mobile)
      expect(typeof sms.ref).toBe('string')
      expect(test!.headers['idempotency-key']).toBeTruthy()
      for (const r of received) expect(Object.keys(r.body).sort()).toEqual(['ref', 'text', 'to'])
      await shot(page, 'console-notify-settings-zh')

      await page.getByTestId('menu-notify-outbox').click()
      await page.getByTestId('outbox-channel').click()
      await page.locator('.el-select-dropdown__item', { hasText: '短信' }).click()
      const first = page.getByTestId('outbox-table').locator('tbody tr.el-table__row', { hasText: 'SafeLoop 测试消息' }).first()
      await expect(first).toContainText('短信')
      await expect(first.getByTestId('outbox-row-status')).toHaveAttribute('data-status', 'sent')
      await expect(first.getByTestId('outbox-recipient')).toContainText(admin.mobile)
      await first.locator('.el-table__expand-icon').click()
      await expect(page.getByTestId('outbox-table')).toContainText('200')
      await shot(page, 'console-notify-outbox-zh')
    } finally {
      // Put the channels back as they were (other specs share the server).
      const r = await page.request.put('/api/v1/settings/notify', { headers: { Authorization: `Bearer ${token}` }, data: before })
      expect(r.status()).toBe(200)
      await new Promise<void>((r2) => gateway.close(() => r2()))
    }
  })

  test('the header bell lists messages and marks them read', async ({ page, api }) => {
    // An in-app test message to the admin themself makes one unread notification.
    const token = await api.token('admin')
    await loginConsole(page, 'admin')
    await expect(page.getByTestId('notify-live')).toHaveAttribute('data-state', 'open')
    const sent = await api.post<{ id: string }>(token, '/settings/notify/test', { channel: 'app' })
    expect(sent.status, JSON.stringify(sent.body)).toBe(202)
    // Pushed over the live stream: the badge counts it without a reload.
    await expect(page.getByTestId('notify-unread').locator('sup')).toBeVisible({ timeout: 15_000 })
    await page.getByTestId('notify-bell').click()
    await expect(page.getByTestId('notify-item').first()).toContainText('测试消息')
    await shot(page, 'console-notify-bell-zh')
    await page.getByTestId('notify-read-all').click()
    await expect(page.getByTestId('notify-unread').locator('sup')).toBeHidden()
    const list = await api.get<{ unread_count: number }>(token, '/notifications?unread=true')
    expect(list.body.unread_count).toBe(0)
  })

  test('English board', async ({ page }) => {
    await setLocale(page, 'en')
    await loginConsole(page, 'safety')
    await page.goto('/console/hazards/board')
    await expect(page.getByRole('heading', { name: 'Hazard board' })).toBeVisible()
    await expect(page.getByTestId('board-matrix')).toContainText('To accept')
    await expectNoHorizontalScroll(page)
    await shot(page, 'console-hazard-board-en')
  })

  test('welder1 has no hazard or notification admin menus and cannot open them by URL', async ({ page }) => {
    await loginConsole(page, 'welder1')
    await expect(page.getByTestId('menu-home')).toBeVisible()
    await expect(page.getByTestId('menu-group-hazards')).toHaveCount(0)
    await expect(page.getByTestId('menu-group-notify')).toHaveCount(0)
    for (const path of ['/console/hazards/board', '/console/hazards/list', '/console/hazards/metrics', '/console/settings/notify', '/console/notify/outbox']) {
      await page.goto(path)
      await expect(page.getByTestId('forbidden')).toBeVisible()
    }
  })
})
