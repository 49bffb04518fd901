// Organisation import: a good file creates people; a file with bad rows writes nothing.
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, expect, shot, loginConsole } from './fixtures'
import { xlsx } from './xlsx'

const HEADER = ['工号', '姓名', '登录名', '手机号', '部门', '班组', '岗位', '直属上级工号', '角色']
const dir = mkdtempSync(join(tmpdir(), 'safeloop-import-'))
const run = Date.now().toString(36)

function csvFile(name: string, rows: string[][]): string {
  const path = join(dir, name)
  writeFileSync(path, '\ufeff' + [HEADER, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n')
  return path
}

function person(n: number, extra: Partial<Record<'dept' | 'team' | 'position' | 'sup' | 'roles' | 'login' | 'name', string>> = {}): string[] {
  const mobile = `139${String(Date.now() % 100000).padStart(5, '0')}${String(n).padStart(3, '0')}`
  return [
    `E2E-${run}-${n}`,
    extra.name ?? `导入测试${n}`,
    extra.login ?? `e2e_${run}_${n}`,
    mobile,
    extra.dept ?? `生产部/E2E导入车间${run}`,
    extra.team ?? `E2E导入班${run}`,
    extra.position ?? '焊工',
    extra.sup ?? '',
    extra.roles ?? 'worker',
  ]
}

async function userExists(api: { get: (t: string, p: string) => Promise<{ body: unknown }> }, token: string, login: string) {
  const { body } = await api.get(token, `/users?login=${encodeURIComponent(login)}`)
  const items = (body as { items?: { login: string }[] } | { login: string }[] | null) ?? []
  const list = Array.isArray(items) ? items : items.items ?? []
  return list.some((u) => u.login === login)
}

test.describe('console organisation import', () => {
  test('a good CSV file: preview, check, import; the people exist afterwards', async ({ page, api }) => {
    const rows = [person(1, { roles: 'team_leader' }), person(2, { sup: `E2E-${run}-1` }), person(3, { sup: `E2E-${run}-1`, roles: 'worker、team_leader' })]
    const file = csvFile('good.csv', rows)
    await loginConsole(page, 'admin')
    await page.goto('/console/org/import')
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(file)
    await expect(page.getByTestId('import-file-info')).toContainText('3')
    await expect(page.getByTestId('import-preview').locator('tbody tr')).toHaveCount(3)
    await expect(page.getByTestId('import-run')).toBeDisabled()
    await shot(page, 'console-import-preview')
    await page.getByTestId('import-check').click()
    await expect(page.getByTestId('import-check-ok')).toBeVisible()
    await shot(page, 'console-import-checked')
    // A dry run writes nothing.
    const token = await api.token('admin')
    expect(await userExists(api, token, `e2e_${run}_1`)).toBe(false)
    await page.getByTestId('import-run').click()
    await expect(page.getByTestId('import-done')).toBeVisible()
    await shot(page, 'console-import-done')
    for (const n of [1, 2, 3]) expect(await userExists(api, token, `e2e_${run}_${n}`), `user ${n}`).toBe(true)
    // …and the console lists them.
    await page.goto('/console/org/users')
    await page.getByTestId('user-search').fill(`e2e_${run}_2`)
    await expect(page.getByTestId('user-table')).toContainText(`导入测试2`)
  })

  test('a good XLSX file with English headers imports too', async ({ page, api }) => {
    const path = join(dir, 'good.xlsx')
    const r = person(4)
    writeFileSync(path, xlsx([['employee_no', 'name', 'login', 'mobile', 'department', 'team', 'position', 'supervisor_employee_no', 'roles'], r]))
    await loginConsole(page, 'admin')
    await page.goto('/console/org/import')
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(path)
    await expect(page.getByTestId('import-preview').locator('tbody tr')).toHaveCount(1)
    await expect(page.getByTestId('import-preview')).toContainText(`e2e_${run}_4`)
    await page.getByTestId('import-check').click()
    await expect(page.getByTestId('import-check-ok')).toBeVisible()
    await page.getByTestId('import-run').click()
    await expect(page.getByTestId('import-done')).toBeVisible()
    const token = await api.token('admin')
    expect(await userExists(api, token, `e2e_${run}_4`)).toBe(true)
  })

  test('a file with bad rows: row-by-row report, import impossible, nothing written', async ({ page, api }) => {
    const good = person(10)
    const rows = [
      good,
      person(11, { name: '' }), // missing name
      person(12, { roles: 'no_such_role' }), // unknown role
      person(13, { login: 'admin' }), // login already taken
      person(14, { sup: 'NOBODY-999' }), // unknown supervisor
    ]
    const file = csvFile('bad.csv', rows)
    await loginConsole(page, 'admin')
    await page.goto('/console/org/import')
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(file)
    await expect(page.getByTestId('import-preview').locator('tbody tr')).toHaveCount(5)
    await page.getByTestId('import-check').click()
    await expect(page.getByTestId('import-check-failed')).toBeVisible()
    const report = page.getByTestId('import-error-table')
    await expect(report).toBeVisible()
    const reportedRows = await report.locator('tbody tr td:first-child').allInnerTexts()
    const numbers = new Set(reportedRows.map((s) => Number(s.trim())))
    for (const n of [2, 3, 4, 5]) expect(numbers.has(n), `row ${n} reported`).toBe(true)
    expect(numbers.has(1)).toBe(false)
    await expect(page.getByTestId('import-run')).toBeDisabled()
    await shot(page, 'console-import-errors')

    // Nothing was written, not even the good row — checked through the API.
    const token = await api.token('admin')
    expect(await userExists(api, token, `e2e_${run}_10`)).toBe(false)
    // Sending the whole file for real is refused the same way, and still writes nothing.
    const direct = await api.post(token, '/org/import', {
      dry_run: false,
      rows: rows.map((r) => Object.fromEntries(['employee_no', 'name', 'login', 'mobile', 'department', 'team', 'position', 'supervisor_employee_no', 'roles'].map((k, i) => [k, r[i]]))),
    })
    expect(direct.status).toBe(422)
    expect((direct.body as { error: { code: string } }).error.code).toBe('import_invalid')
    expect(await userExists(api, token, `e2e_${run}_10`)).toBe(false)
  })

  test('the template downloads as UTF-8 CSV with a BOM and Chinese headers', async ({ page }) => {
    await loginConsole(page, 'admin')
    await page.goto('/console/org/import')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()])
    const path = await download.path()
    const { readFileSync } = await import('node:fs')
    const bytes = readFileSync(path!)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.subarray(3).toString('utf8').split(/\r?\n/)[0]).toBe(HEADER.join(','))
  })
})
