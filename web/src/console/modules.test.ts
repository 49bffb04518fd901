import { describe, expect, it } from 'vitest'
import { CONSOLE_MODULES, visibleMenu } from './modules'

describe('console menu', () => {
  it('shows the organisation module to a user with org permissions', () => {
    const perms = new Set(['org.read', 'users.read', 'org.import', 'org.write', 'users.write'])
    const menu = visibleMenu(CONSOLE_MODULES, (p) => !p || perms.has(p))
    expect(menu.map((g) => g.key)).toEqual(['org'])
    expect(menu[0]!.entries.map((e) => e.route)).toContain('org-import')
  })

  it('hides entries, and empty groups, the user may not open', () => {
    const onlyUsers = visibleMenu(CONSOLE_MODULES, (p) => !p || p === 'users.read')
    expect(onlyUsers[0]!.entries.map((e) => e.route)).toEqual(['org-users'])
    expect(visibleMenu(CONSOLE_MODULES, (p) => !p)).toEqual([])
  })

  it('every menu entry names a route that checks the same permission', () => {
    for (const m of CONSOLE_MODULES) {
      for (const e of m.menu.entries) {
        const route = m.routes.find((r) => r.name === e.route)
        expect(route, e.route).toBeDefined()
        expect(route!.meta?.permission).toBe(e.permission)
      }
    }
  })
})
