// Who sees the hazard and notification menus (permissions per role from docs/hazards.md and
// docs/notifications.md).
import { describe, expect, it } from 'vitest'
import { CONSOLE_MODULES, visibleMenu } from '../modules'

const holding = (perms: string[]) => (p?: string | readonly string[]) => !p || (typeof p === 'string' ? [p] : p).every((x) => perms.includes(x))
const groups = (perms: string[]) => Object.fromEntries(visibleMenu(CONSOLE_MODULES, holding(perms)).map((g) => [g.key, g.entries.map((e) => e.route)]))

describe('hazard and notification menus', () => {
  it('a worker (report, read, handle) gets none: the phone is their tool', () => {
    const menu = groups(['hazards.report', 'hazards.read', 'hazards.handle', 'users.read', 'files.read'])
    expect(menu.hazards).toBeUndefined()
    expect(menu.notify).toBeUndefined()
  })
  it('a team leader gets the board, ledger, overdue list, extensions and work orders, not metrics or settings', () => {
    const menu = groups(['hazards.report', 'hazards.read', 'hazards.handle', 'hazards.assign', 'work_orders.read'])
    expect(menu.hazards).toEqual(['hazards-board', 'hazards-list', 'hazards-overdue', 'hazards-extensions', 'hazards-work-orders'])
  })
  it('a safety officer also gets metrics and the delivery log; only an admin configures', () => {
    const safety = groups(['hazards.read', 'hazards.assign', 'hazards.verify', 'hazards.metrics', 'work_orders.read', 'work_orders.close', 'outbox.read'])
    expect(safety.hazards).toContain('hazards-metrics')
    expect(safety.hazards).not.toContain('hazards-settings')
    expect(safety.notify).toEqual(['notify-outbox'])
    const admin = groups(['hazards.read', 'hazards.assign', 'hazards.metrics', 'hazards.configure', 'work_orders.read', 'outbox.read', 'settings.write'])
    expect(admin.hazards).toContain('hazards-settings')
    expect(admin.notify).toEqual(['notify-settings', 'notify-outbox'])
  })
  it('a single hazard opens for anyone who reads hazards (links from messages), without a menu entry', () => {
    const route = CONSOLE_MODULES.flatMap((m) => m.routes).find((r) => r.name === 'hazard-detail')
    expect(route?.meta?.permission).toBe('hazards.read')
  })
})
