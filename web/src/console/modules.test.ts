import { describe, expect, it } from 'vitest'
import { CONSOLE_MODULES, visibleMenu } from './modules'

describe('console menu', () => {
  it('shows the organisation module to a user with org permissions', () => {
    const perms = new Set(['org.read', 'users.read', 'org.import', 'org.write', 'users.write'])
    const menu = visibleMenu(CONSOLE_MODULES, (p) => !p || (typeof p === 'string' ? [p] : p).every((x) => perms.has(x)))
    expect(menu.map((g) => g.key)).toEqual(['org']) // no settings.write: no settings group
    expect(menu[0]!.entries.map((e) => e.route)).toContain('org-import')
  })

  const holding = (perms: string[]) => (p?: string | readonly string[]) =>
    !p || (typeof p === 'string' ? [p] : p).every((x) => perms.includes(x))

  it('hides entries, and empty groups, the user may not open', () => {
    // A team leader reads the organisation but cannot import.
    const leader = visibleMenu(CONSOLE_MODULES, holding(['org.read', 'users.read']))
    expect(leader[0]!.entries.map((e) => e.route)).toEqual(['org-departments', 'org-teams', 'org-positions', 'org-users'])
    // A worker may look people up (users.read) but gets no organisation management.
    expect(visibleMenu(CONSOLE_MODULES, holding(['users.read', 'files.read']))).toEqual([])
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

describe('console modules register themselves', () => {
  it('every <module>/module.ts is found and the sidebar follows their order', () => {
    expect(CONSOLE_MODULES.map((m) => m.menu.key)).toEqual(['hazards', 'org', 'settings', 'notify'])
  })
  it('a module registered from its own folder joins the menu and the routes', async () => {
    const { registerConsoleModule, consoleModules } = await import('./module-registry')
    registerConsoleModule({
      order: 25,
      menu: { key: 'inspections', titleKey: 'x', icon: {}, entries: [{ route: 'inspections-plans', titleKey: 'x', permission: 'inspections.read' }] },
      routes: [{ path: 'inspections/plans', name: 'inspections-plans', component: {}, meta: { permission: 'inspections.read' } }],
    })
    const all = consoleModules()
    expect(all.map((m) => m.menu.key)).toEqual(['hazards', 'org', 'inspections', 'settings', 'notify'])
    expect(visibleMenu(all, (p) => p === 'inspections.read').map((g) => g.key)).toEqual(['inspections'])
  })
})
