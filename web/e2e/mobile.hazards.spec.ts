// The hazard loop on the phone (360×740) against the real server: welder2 reports a yellow hazard in
// three taps with a photo, leader1 (his team leader, the default assignee) accepts it from his tasks
// and rectifies it with the evidence yellow requires (before/after photos, GPS, signature), the safety
// officer verifies it; a failed verification sends it back to rework with the reason shown.
import { png } from './png'
import { devices, type Browser, type Page } from '@playwright/test'
import { test, expect, shot, loginMobile, loginConsole, expectNoHorizontalScroll, setLocale, type Api } from './fixtures'

test.use({ geolocation: { latitude: 31.2304, longitude: 121.4737, accuracy: 12 }, permissions: ['geolocation'] })

// ---- small real PNGs, made here so each photo has its own content (and file id) ----

const seed = () => Math.floor(Math.random() * 1_000_000)

// ---- a real video: Motion-JPEG frames (one a second) in Matroska, as server/tests/hazards_media.cpp
// makes it; the server measures its duration with libavformat ----

function ebmlId(id: number) {
  const out: number[] = []
  for (let shift = 24; shift >= 0; shift -= 8) {
    const b = (id >>> shift) & 0xff
    if (b !== 0 || out.length) out.push(b)
  }
  return Buffer.from(out)
}
function ebmlSize(n: number) {
  const out = Buffer.alloc(8)
  out[0] = 0x01
  out.writeUIntBE(n, 2, 6)
  return out
}
const el = (id: number, payload: Buffer) => Buffer.concat([ebmlId(id), ebmlSize(payload.length), payload])
function uint(id: number, v: number) {
  const bytes: number[] = []
  for (let shift = 48; shift >= 0; shift -= 8) {
    const b = Math.floor(v / 2 ** shift) & 0xff
    if (b !== 0 || bytes.length || shift === 0) bytes.push(b)
  }
  return el(id, Buffer.from(bytes))
}
function float(id: number, v: number) {
  const b = Buffer.alloc(8)
  b.writeDoubleBE(v)
  return el(id, b)
}
const text = (id: number, v: string) => el(id, Buffer.from(v, 'ascii'))
/** A `seconds`-long MJPEG-in-Matroska video made of the given JPEG frames (cycled). */
function mjpegVideo(seconds: number, frames: Buffer[]): Buffer {
  const header = el(0x1a45dfa3, Buffer.concat([uint(0x4286, 1), uint(0x42f7, 1), uint(0x42f2, 4), uint(0x42f3, 8), text(0x4282, 'matroska'), uint(0x4287, 4), uint(0x4285, 2)]))
  const info = el(0x1549a966, Buffer.concat([uint(0x2ad7b1, 1_000_000), float(0x4489, seconds * 1000), text(0x4d80, 'safeloop-e2e'), text(0x5741, 'safeloop-e2e')]))
  const video = el(0xe0, Buffer.concat([uint(0xb0, 64), uint(0xba, 48)]))
  const track = el(0xae, Buffer.concat([uint(0xd7, 1), uint(0x73c5, 1), uint(0x83, 1), text(0x86, 'V_MJPEG'), uint(0x23e383, 1_000_000_000), video]))
  const clusters: Buffer[] = []
  for (let s = 0; s < seconds; s++) {
    const block = Buffer.concat([Buffer.from([0x81, 0, 0, 0x80]), frames[s % frames.length]!])
    clusters.push(el(0x1f43b675, Buffer.concat([uint(0xe7, s * 1000), el(0xa3, block)])))
  }
  return Buffer.concat([header, el(0x18538067, Buffer.concat([info, el(0x1654ae6b, track), ...clusters]))])
}
/** 64×48 JPEG frames encoded by the browser itself. */
async function jpegFrames(page: Page, n: number): Promise<Buffer[]> {
  const urls = await page.evaluate((count) => {
    const c = document.createElement('canvas')
    c.width = 64
    c.height = 48
    const g = c.getContext('2d')!
    return Array.from({ length: count }, (_, i) => {
      g.fillStyle = `hsl(${(i * 47) % 360} 70% 50%)`
      g.fillRect(0, 0, 64, 48)
      g.fillStyle = '#000'
      g.fillRect(i * 4, 10, 8, 28)
      return c.toDataURL('image/jpeg', 0.8)
    })
  }, n)
  return urls.map((u) => Buffer.from(u.split(',')[1]!, 'base64'))
}

const photo = (name: string) => ({ name: `${name}.png`, mimeType: 'image/png', buffer: png(seed()) })

// ---- helpers ----

async function switchUser(page: Page, login: string) {
  await page.evaluate(() => localStorage.removeItem('safeloop.token'))
  await loginMobile(page, login)
  await expect(page.getByTestId('greeting')).toBeVisible()
}

async function userName(api: Api, token: string, login: string): Promise<string> {
  const r = await api.get<{ items: { login: string; name: string }[] }>(token, `/users?login=${login}`)
  const u = r.body.items.find((x) => x.login === login)
  expect(u, login).toBeTruthy()
  return u!.name
}

async function drawSignature(page: Page) {
  const pad = page.getByTestId('signature-pad')
  // Centre it: the sticky submit bar covers the bottom of the sheet.
  await pad.evaluate((el) => el.scrollIntoView({ block: 'center' }))
  const box = (await pad.boundingBox())!
  await page.mouse.move(box.x + 30, box.y + box.height * 0.7)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 30 + i * 18, box.y + box.height * (0.7 - 0.4 * Math.sin(i / 2)), { steps: 2 })
  await page.mouse.up()
}

/**
 * The safety officer opens the closed hazard in the console at 1366×768 (a desktop browser with its own
 * sign-in): ledger → code filter → detail. The timeline reads reported → assigned → accepted → submitted
 * → closed with who did each, and the rectification shows the leader's signature with its hash.
 */
async function consoleShowsClosedTimeline(browser: Browser, baseURL: string, api: Api, token: string, code: string, names: { welder: string; leader: string; safety: string }) {
  const desk = await browser.newContext({ ...devices['Desktop Chrome'], viewport: { width: 1366, height: 768 }, baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  try {
    const page = await desk.newPage()
    await loginConsole(page, 'safety')
    await expect(page).toHaveURL(/\/console\//)
    await page.getByTestId('menu-group-hazards').click()
    await page.getByTestId('menu-hazards-list').click()
    await page.getByTestId('filter-code').fill(code)
    await page.getByTestId('filter-search').click()
    const table = page.getByTestId('hazard-table')
    await expect(table.locator('tbody tr')).toHaveCount(1)
    await table.locator('tbody tr').first().click()
    await expect(page.getByTestId('hazard-detail')).toBeVisible()
    await expect(page.getByTestId('detail-code')).toHaveText(code)
    await expect(page.getByTestId('detail-status')).toHaveText('已验收')
    // The responsible team is named (the detail loads the teams it needs).
    const found = await api.get<{ items: { team_id: string | null }[] }>(token, `/hazards?code=${code}`)
    const teamId = found.body.items[0]?.team_id
    if (teamId) {
      const teams = await api.get<{ id: string; name: string }[] | { items: { id: string; name: string }[] }>(token, '/teams?limit=1000')
      const list = Array.isArray(teams.body) ? teams.body : teams.body.items
      await expect(page.getByTestId('detail-team')).toHaveText(list.find((x) => x.id === teamId)!.name)
    }

    // Newest first: closed, submitted, accepted, assigned, reported (nothing else happened to it).
    const timeline = page.getByTestId('timeline')
    const items = timeline.locator('.el-timeline-item')
    await expect(items).toHaveCount(5)
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['event-closed', 'event-submitted', 'event-accepted', 'event-assigned', 'event-reported'])
    await expect(page.getByTestId('event-reported')).toContainText(names.welder)
    await expect(page.getByTestId('event-assigned')).toContainText(names.leader)
    await expect(page.getByTestId('event-accepted')).toContainText(names.leader)
    await expect(page.getByTestId('event-submitted')).toContainText(names.leader)
    await expect(page.getByTestId('event-closed')).toContainText(names.safety)

    // The rectification: before/after side by side, the signature with signer, time and content hash.
    const round = page.getByTestId('round-1')
    await expect(round).toContainText(names.leader)
    await expect(round).toContainText(names.safety)
    await expect(round.locator('.compare img')).toHaveCount(2)
    const signature = round.getByTestId('signature')
    await expect(signature).toContainText(names.leader)
    await expect(signature).toContainText(/[0-9a-f]{64}/)
    await expect(signature.locator('img')).toBeVisible()
    await expectNoHorizontalScroll(page)
    await shot(page, 'console-hazard-loop-closed-zh')
    // The page scrolls inside the layout: bring the rectification and its signature into view too.
    await signature.scrollIntoViewIfNeeded()
    await shot(page, 'console-hazard-loop-signature-zh')
  } finally {
    await desk.close()
  }
}

/** Every visible tappable element is at least 44 px both ways. */
async function expectBigTargets(page: Page, scope = 'body') {
  const small = await page.evaluate((sel) => {
    const root = document.querySelector(sel) ?? document.body
    return [...root.querySelectorAll<HTMLElement>('button, a, [role="button"], [role="radio"], label, .van-cell--clickable')]
      // A field's caption (<label for>) is not a target of its own: the whole field row is.
      .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0 && !(el.tagName === 'LABEL' && el.hasAttribute('for')))
      .map((el) => ({ el: el.outerHTML.slice(0, 90), r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44 || r.width < 44)
      .map(({ el, r }) => `${Math.round(r.width)}x${Math.round(r.height)} ${el}`)
  }, scope)
  expect(small).toEqual([])
}

/** Reports a yellow hazard as welder2 through the API and has leader1 accept and rectify it. */
async function submittedHazardViaApi(api: Api, request: import('@playwright/test').APIRequestContext, title: string) {
  const welder = await api.token('welder2')
  const created = await api.post<{ id: string; code: string; assignee_id: string }>(welder, '/hazards', { id: crypto.randomUUID(), title, grade: 'yellow', category: '电气' })
  expect(created.status).toBe(201)
  const leader = await api.token('leader1')
  expect((await api.post(leader, `/hazards/${created.body.id}/accept`, {})).status).toBe(200)
  const upload = async () => {
    const r = await request.post('/api/v1/files', { headers: { Authorization: `Bearer ${leader}`, 'Content-Type': 'image/png' }, data: png(seed()) })
    expect(r.status()).toBeLessThan(300)
    return ((await r.json()) as { id: string }).id
  }
  const rect = await api.post(leader, `/hazards/${created.body.id}/rectify`, {
    evidence: [
      { kind: 'before_photo', file_id: await upload() },
      { kind: 'after_photo', file_id: await upload() },
    ],
    position: { lat: 31.23, lng: 121.47 },
    signature_file_id: await upload(),
    note: 'e2e',
  })
  expect(rect.status, JSON.stringify(rect.body)).toBe(200)
  return created.body
}

test.describe('mobile hazards', () => {
  test('yellow evidence rule is what this test supplies (before/after photo, GPS, signature)', async ({ api }) => {
    const token = await api.token('welder2')
    const s = await api.get<{ evidence: { grade: string; category: string; kinds: string[] }[] }>(token, '/hazards/settings')
    expect(s.status).toBe(200)
    const yellow = s.body.evidence.find((e) => e.grade === 'yellow' && e.category === '*')
    expect(yellow?.kinds.sort()).toEqual(['after_photo', 'before_photo', 'gps_position', 'leader_signature'])
  })

  test('report in three taps → leader accepts and rectifies with evidence and signature → safety verifies → closed → the console shows the timeline', async ({ page, api, browser, baseURL }) => {
    test.setTimeout(120_000)
    const admin = await api.token('safety')
    const leaderName = await userName(api, admin, 'leader1')

    // ---- welder2 reports ----
    await loginMobile(page, 'welder2')
    await expect(page.getByTestId('report-hazard')).toBeEnabled()
    let taps = 0
    const tap = async (testId: string) => {
      taps++
      await page.getByTestId(testId).click()
    }
    // Tap 1: the big button. The camera opens by itself (the tap's user activation carries over).
    const chooser = page.waitForEvent('filechooser')
    await tap('report-hazard')
    await (await chooser).setFiles(photo('hazard'))
    await expect(page.getByTestId('report-photo')).toHaveAttribute('data-status', 'done')
    await expect(page.getByTestId('report-gps')).toHaveAttribute('data-state', 'ok')
    // Tap 2: the grade.
    await tap('grade-yellow')
    await expect(page.getByTestId('grade-yellow')).toHaveAttribute('aria-checked', 'true')
    await expect(page.getByTestId('report-title').locator('input')).toHaveValue('现场隐患')
    await expectNoHorizontalScroll(page)
    await expectBigTargets(page, '.report')
    await shot(page, 'mobile-hazard-report-zh')
    // Tap 3: submit.
    await tap('report-submit')
    await expect(page.getByTestId('report-done')).toBeVisible()
    expect(taps).toBeLessThanOrEqual(3)
    const code = (await page.getByTestId('report-code').textContent())!.trim()
    expect(code).toMatch(/^YH-\d{4}-\d{6}$/)
    await expect(page.getByTestId('report-assignee')).toContainText(leaderName)
    await shot(page, 'mobile-hazard-reported-zh')

    // The hazard as the server has it: yellow, assigned to leader1, one photo, a position.
    const welder = await api.token('welder2')
    const mine = await api.get<{ items: { id: string; code: string; grade: string; status: string; photos: string[]; position: unknown; title: string }[] }>(welder, `/hazards?code=${code}`)
    const hazard = mine.body.items[0]!
    expect(hazard).toMatchObject({ code, grade: 'yellow', status: 'assigned', title: '现场隐患' })
    expect(hazard.photos).toHaveLength(1)
    expect(hazard.position).toBeTruthy()

    // ---- leader1: sees it in his tasks with a countdown, accepts, rectifies ----
    await switchUser(page, 'leader1')
    const task = page.getByTestId('task-list').locator('.van-cell', { hasText: code })
    await expect(task).toBeVisible()
    await expect(task).toContainText('待接收')
    await expect(task).toContainText(/剩 23 小时 5\d 分/)
    // 我的隐患 from the home screen: the entry and the tab badge count what waits for him.
    const entry = page.getByTestId('my-hazards')
    await expect(entry.getByTestId('my-hazards-mine')).toHaveAttribute('data-count', /^[1-9]\d*$/)
    await expect(entry.getByTestId('my-hazards-verify')).toHaveCount(0) // a team leader does not verify
    await expect(page.getByTestId('tab-hazards').locator('.van-badge')).toHaveText(/^[1-9]\d*\+?$/)
    await expectBigTargets(page, '.home')
    await expectBigTargets(page, '.van-tabbar')
    await shot(page, 'mobile-hazard-home-tasks-zh')
    await entry.click()
    await expect(page).toHaveURL(/\/m\/hazards\?tab=todo$/)
    // A tab page (level 1): the tab bar is shown with 隐患 active, no back arrow.
    await expect(page.getByTestId('tab-hazards')).toHaveClass(/van-tabbar-item--active/)
    await expect(page.locator('.van-nav-bar__left .van-icon-arrow-left')).toHaveCount(0)
    const card = page.locator(`[data-testid="hazard-card"][data-code="${code}"]`)
    await expect(card).toBeVisible()
    await expect(card.getByTestId('countdown')).toHaveText(/剩 23 小时 5\d 分/)
    await expect(card.getByTestId('countdown')).toHaveAttribute('data-overdue', 'false')
    await expectNoHorizontalScroll(page)
    await expectBigTargets(page, '.list')
    await shot(page, 'mobile-hazard-list-zh')

    await card.click()
    await expect(page.getByTestId('hazard-code')).toHaveText(code)
    // The detail is the second level: back arrow, no tab bar.
    await expect(page.locator('.van-nav-bar__left .van-icon-arrow-left')).toBeVisible()
    await expect(page.getByTestId('tab-hazards')).toHaveCount(0)
    await expect(page.getByTestId('hazard-status')).toHaveText('待接收')
    await expect(page.getByTestId('countdown')).toBeVisible()
    await expect(page.getByTestId('hazard-photo')).toHaveCount(1)
    await expect(page.getByTestId('hazard-photo').locator('img')).toBeVisible()
    // Not yet accepted: no rectify button, only accept (and extension).
    await expect(page.getByTestId('action-rectify')).toHaveCount(0)
    await expectNoHorizontalScroll(page)
    await expectBigTargets(page, '.detail')
    await shot(page, 'mobile-hazard-detail-zh')
    await page.getByTestId('action-accept').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('整改中')

    await page.getByTestId('action-rectify').click()
    const steps = page.getByTestId('evidence-step')
    await expect(steps).toHaveCount(4)
    await expect(page.getByTestId('rectify-submit')).toBeDisabled()
    await page.getByTestId('capture-input-before_photo').setInputFiles(photo('before'))
    await page.getByTestId('capture-input-after_photo').setInputFiles(photo('after'))
    await expect(page.locator('[data-kind="before_photo"]')).toHaveAttribute('data-done', 'true')
    await expect(page.locator('[data-kind="after_photo"]')).toHaveAttribute('data-done', 'true')
    await expect(page.locator('[data-kind="gps_position"]')).toHaveAttribute('data-done', 'true')
    await expect(page.getByTestId('rectify-submit')).toBeDisabled() // not signed yet
    await drawSignature(page)
    await expect(page.locator('[data-kind="leader_signature"]')).toHaveAttribute('data-done', 'true')
    await expect(page.getByTestId('rectify-progress')).toHaveText('已完成 4/4')
    await page.getByTestId('rectify-note').locator('textarea').fill('已更换接地线并紧固')
    await expectBigTargets(page, '[data-testid="rectify"]')
    await shot(page, 'mobile-hazard-rectify-zh')
    await page.getByTestId('rectify-submit').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('待验收')
    await expect(page.getByTestId('rectification')).toHaveCount(1)

    // ---- safety verifies ----
    await switchUser(page, 'safety')
    // A safety officer's entry also counts what awaits verification (this hazard at least).
    await expect(page.getByTestId('my-hazards-verify')).toHaveAttribute('data-count', /^[1-9]\d*$/)
    await expect(page.getByTestId('my-hazards-verify')).toContainText('待验收')
    await page.getByTestId('tab-hazards').click()
    await page.getByTestId('hazard-tabs').getByRole('tab', { name: /待验收/ }).click()
    await expect(page.getByTestId('hazard-list-verify').locator(`[data-testid="hazard-card"][data-code="${code}"]`)).toBeVisible()
    await shot(page, 'mobile-hazard-list-verify-zh')
    await page.getByTestId('tab-home').click()
    const verifyTask = page.getByTestId('task-list').locator('.van-cell', { hasText: code })
    await expect(verifyTask).toContainText('待验收')
    await verifyTask.click()
    await expect(page.getByTestId('hazard-status')).toHaveText('待验收')
    // The rectification's evidence and signature are shown.
    await expect(page.getByTestId('rectification').locator('img')).toHaveCount(3)
    await page.getByTestId('action-verify-pass').click()
    await expect(page.getByTestId('verify-sheet')).toBeVisible()
    await expect(page.getByTestId('verify-choice-pass')).toHaveAttribute('aria-checked', 'true')
    await shot(page, 'mobile-hazard-verify-zh')
    await page.getByTestId('verify-submit').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('已验收')
    await expect(page.getByTestId('hazard-closed')).toBeVisible()
    await expect(page.getByTestId('hazard-actions')).toHaveCount(0)
    const types = await page.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))
    expect(types).toEqual(['closed', 'submitted', 'accepted', 'assigned', 'reported'])
    await expect(page.getByTestId('timeline')).toContainText(leaderName)
    await expectBigTargets(page, '.detail')
    await shot(page, 'mobile-hazard-closed-zh')

    const final = await api.get<{ status: string; provincial_state: number; rectifications: { signature: unknown; evidence: unknown[] }[] }>(admin, `/hazards/${hazard.id}`)
    expect(final.body.status).toBe('closed')
    expect(final.body.provincial_state).toBe(9)
    expect(final.body.rectifications[0]!.signature).toBeTruthy()
    expect(final.body.rectifications[0]!.evidence).toHaveLength(2)

    // ---- the same hazard in the console, on a desk (its own browser context and sign-in) ----
    await consoleShowsClosedTimeline(browser, baseURL!, api, admin, code, { welder: await userName(api, admin, 'welder2'), leader: leaderName, safety: await userName(api, admin, 'safety') })
  })

  test('a failed verification sends the hazard back to rework with the reason shown', async ({ page, api, request }) => {
    const title = `e2e 返工 ${seed()}`
    const h = await submittedHazardViaApi(api, request, title)

    await loginMobile(page, 'safety')
    await page.goto(`/m/hazards/${h.id}`)
    await expect(page.getByTestId('hazard-status')).toHaveText('待验收')
    await page.getByTestId('action-verify-fail').click()
    await expect(page.getByTestId('verify-choice-fail')).toHaveAttribute('aria-checked', 'true')
    // A reason is required to fail it.
    await expect(page.getByTestId('verify-submit')).toBeDisabled()
    const reason = '接地线未压接端子,重新整改'
    await page.getByTestId('verify-comment').locator('textarea').fill(reason)
    await shot(page, 'mobile-hazard-verify-fail-zh')
    await page.getByTestId('verify-submit').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('返工')
    await expect(page.getByTestId('rework-reason')).toContainText(reason)
    await expect(page.getByTestId('rework-rounds')).toContainText('1')

    // leader1 sees it among his tasks as rework, with the reason, and may rectify again.
    await switchUser(page, 'leader1')
    const task = page.getByTestId('task-list').locator('.van-cell', { hasText: title })
    await expect(task).toContainText('返工')
    await task.click()
    await expect(page.getByTestId('rework-reason')).toContainText(reason)
    await expect(page.getByTestId('action-rectify')).toBeVisible()
    await expect(page.getByTestId('timeline-event').first()).toHaveAttribute('data-type', 'rework')
    await expect(page.getByTestId('timeline-event').first()).toContainText(reason)
    // The safety officer is outside leader1's scope: the detail's own `people` still names him.
    const safetyName = await userName(api, await api.token('safety'), 'safety')
    await expect(page.getByTestId('timeline-event').first()).toContainText(safetyName)
    await expect(page.getByTestId('rework-reason')).toContainText(safetyName)
    await expect(page.getByTestId('timeline')).not.toContainText('安全员')
    await shot(page, 'mobile-hazard-rework-zh')
  })

  test('rectify refuses to submit until every required piece is there; an extension can be requested', async ({ page, api }) => {
    const welder = await api.token('welder2')
    const created = await api.post<{ id: string }>(welder, '/hazards', { id: crypto.randomUUID(), title: `e2e 延期 ${seed()}`, grade: 'blue' })
    expect(created.status).toBe(201)
    await loginMobile(page, 'leader1')
    await page.goto(`/m/hazards/${created.body.id}`)
    await page.getByTestId('action-accept').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('整改中')
    // Blue needs only the photo after.
    await page.getByTestId('action-rectify').click()
    await expect(page.getByTestId('evidence-step')).toHaveCount(1)
    await expect(page.getByTestId('evidence-step')).toHaveAttribute('data-kind', 'after_photo')
    await expect(page.getByTestId('rectify-submit')).toBeDisabled()
    await page.locator('.rectify__close').click()

    await page.getByTestId('action-extension').click()
    await expect(page.getByTestId('extension-submit')).toBeDisabled()
    await page.getByTestId('extension-reason').locator('textarea').fill('等待备件到货')
    await page.getByTestId('extension-submit').click()
    await expect(page.getByTestId('extension-pending')).toContainText('等待备件到货')
    await expect(page.getByTestId('extensions').locator('li')).toHaveCount(1)
    await expect(page.getByTestId('extensions')).toContainText('待审批')
    await expect(page.getByTestId('action-extension')).toHaveCount(0)
    await expectNoHorizontalScroll(page)
  })

  test("the server's 422 evidence_missing answer is shown with the missing kinds", async ({ page, api }) => {
    const welder = await api.token('welder2')
    const created = await api.post<{ id: string }>(welder, '/hazards', { id: crypto.randomUUID(), title: `e2e 缺证据 ${seed()}`, grade: 'blue' })
    expect(created.status).toBe(201)
    await loginMobile(page, 'leader1')
    await page.goto(`/m/hazards/${created.body.id}`)
    await page.getByTestId('action-accept').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('整改中')
    await page.getByTestId('action-rectify').click()
    await page.getByTestId('capture-input-after_photo').setInputFiles(photo('after'))
    await expect(page.getByTestId('rectify-submit')).toBeEnabled()
    // A stale or tampered client sends no evidence: the real server refuses it, and the phone says what is missing.
    // (Writes go through the offline outbox: the rectification is a hazard.rectify mutation in POST /sync.)
    await page.route('**/api/v1/sync', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { mutations?: { type: string; payload: Record<string, unknown> }[] }
      for (const m of body.mutations ?? []) if (m.type === 'hazard.rectify') m.payload.evidence = []
      await route.continue({ postData: JSON.stringify(body) })
    })
    await page.getByTestId('rectify-submit').click()
    await expect(page.getByTestId('rectify-error')).toContainText('整改证据不全')
    await expect(page.getByTestId('rectify-missing')).toHaveText(['缺少:整改后照片'])
    await shot(page, 'mobile-hazard-rectify-422-zh')
    await page.unroute('**/api/v1/sync')
    await page.getByTestId('rectify-submit').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('待验收')
  })

  test('red: every evidence slot, and the operator video\'s real length is checked (10 s refused, 16 s accepted)', async ({ page, api }) => {
    test.setTimeout(90_000)
    const welder = await api.token('welder2')
    const created = await api.post<{ id: string; status: string }>(welder, '/hazards', { id: crypto.randomUUID(), title: `e2e 红色 ${seed()}`, grade: 'red', category: '起重' })
    expect(created.status).toBe(201)
    const leader = await api.token('leader1')
    expect((await api.post(leader, `/hazards/${created.body.id}/accept`, {})).status).toBe(200)

    await loginMobile(page, 'leader1')
    await page.goto(`/m/hazards/${created.body.id}`)
    await page.getByTestId('action-rectify').click()
    await expect(page.getByTestId('evidence-step')).toHaveCount(8)
    await expect(page.locator('[data-kind="operator_video"]')).toContainText('不少于 15 秒')
    for (const kind of ['before_photo', 'after_photo', 'param_before_screenshot', 'param_after_screenshot', 'part_label_photo']) {
      await page.getByTestId(`capture-input-${kind}`).setInputFiles(photo(kind))
      await expect(page.locator(`[data-kind="${kind}"]`)).toHaveAttribute('data-done', 'true')
    }
    const frames = await jpegFrames(page, 4)
    await page.getByTestId('capture-input-operator_video').setInputFiles({ name: 'short.mkv', mimeType: 'video/x-matroska', buffer: mjpegVideo(10, frames) })
    await drawSignature(page)
    await expect(page.locator('[data-kind="leader_signature"]')).toHaveAttribute('data-done', 'true')
    await expect(page.locator('[data-kind="gps_position"]')).toHaveAttribute('data-done', 'true')
    // Chromium cannot read this video's length, so the step is ticked and the server measures it.
    await page.getByTestId('rectify-submit').click()
    await expect(page.getByTestId('rectify-error')).toContainText('整改证据不全')
    await expect(page.getByTestId('rectify-missing')).toHaveText(['缺少:操作人员确认视频'])
    await expect(page.getByTestId('rectify-problem')).toHaveText(['操作人员确认视频:视频时长不足'])
    await shot(page, 'mobile-hazard-rectify-video-422-zh')
    const videoStep = page.locator('[data-kind="operator_video"]')
    // The refused video is marked on its step, which is no longer ticked.
    await expect(videoStep.getByTestId('evidence-rejected')).toHaveText('视频时长不足')
    await expect(videoStep).toHaveAttribute('data-done', 'false')
    await expect(page.getByTestId('rectify-submit')).toBeDisabled()
    await videoStep.getByRole('button', { name: '删除这段视频' }).click()
    await page.getByTestId('capture-input-operator_video').setInputFiles({ name: 'long.mkv', mimeType: 'video/x-matroska', buffer: mjpegVideo(16, frames) })
    await expect(videoStep).toHaveAttribute('data-done', 'true')
    await page.getByTestId('rectify-submit').click()
    await expect(page.getByTestId('hazard-status')).toHaveText('待验收')
    const detail = await api.get<{ rectifications: { evidence: { kind: string }[] }[] }>(leader, `/hazards/${created.body.id}`)
    expect(detail.body.rectifications.at(-1)!.evidence.map((e) => e.kind).sort()).toEqual(
      ['after_photo', 'before_photo', 'operator_video', 'param_after_screenshot', 'param_before_screenshot', 'part_label_photo'].sort(),
    )
  })

  test('a half-filled report survives a reload (photo, grade, same hazard id)', async ({ page, api }) => {
    await loginMobile(page, 'welder2')
    await page.goto('/m/hazards/new')
    await page.getByTestId('report-camera-input').setInputFiles(photo('draft'))
    await expect(page.getByTestId('report-photo')).toHaveAttribute('data-status', 'done')
    await page.getByTestId('grade-blue').click()
    const title = `e2e 草稿 ${seed()}`
    await page.getByTestId('report-title').locator('input').fill(title)
    await page.reload()
    await expect(page.getByTestId('report-photo')).toHaveCount(1)
    await expect(page.getByTestId('report-photo').locator('img')).toBeVisible()
    await expect(page.getByTestId('grade-blue')).toHaveAttribute('aria-checked', 'true')
    await expect(page.getByTestId('report-title').locator('input')).toHaveValue(title)
    await page.getByTestId('report-submit').click()
    await expect(page.getByTestId('report-done')).toBeVisible()
    const code = (await page.getByTestId('report-code').textContent())!.trim()
    const token = await api.token('welder2')
    const found = await api.get<{ items: { title: string; grade: string; photos: string[] }[] }>(token, `/hazards?code=${code}`)
    expect(found.body.items[0]).toMatchObject({ title, grade: 'blue' })
    expect(found.body.items[0]!.photos).toHaveLength(1)
  })

  test('in English the report and list screens fit the phone', async ({ page }) => {
    await setLocale(page, 'en')
    await loginMobile(page, 'leader1')
    await expect(page.getByTestId('my-hazards')).toContainText('My hazards')
    await expect(page.getByTestId('my-hazards-mine')).toContainText(/^To do: \d+\+?$/)
    await expect(page.getByTestId('tab-hazards')).toContainText('Hazards')
    await expectNoHorizontalScroll(page)
    await expectBigTargets(page, '.home')
    await shot(page, 'mobile-home-my-hazards-en')
    await page.goto('/m/hazards/new')
    await expect(page.getByTestId('grade-red')).toContainText('Red · major')
    await expect(page.getByTestId('report-title').locator('input')).toHaveValue('Hazard on site')
    await page.getByTestId('category-electrical').click()
    await expect(page.getByTestId('report-title').locator('input')).toHaveValue('Electrical hazard')
    await expectNoHorizontalScroll(page)
    await expectBigTargets(page, '.report')
    await shot(page, 'mobile-hazard-report-en')
    await page.goto('/m/hazards')
    await expect(page.getByTestId('hazard-card').first()).toBeVisible()
    await expect(page.getByTestId('hazard-card').first().getByTestId('countdown')).toHaveText(/left|Overdue/)
    await expectNoHorizontalScroll(page)
    await shot(page, 'mobile-hazard-list-en')
  })
})
