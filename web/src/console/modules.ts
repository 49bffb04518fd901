// The console's modules and their menu entries. Each later module (hazards, inspections, permits…)
// adds a group here with its routes; a user sees only the entries their permissions allow.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { House, OfficeBuilding, Setting } from '@element-plus/icons-vue'

export interface MenuEntry {
  /** Route name; the path comes from the route. */
  route: string
  titleKey: string
  /** Needed to see the entry; with a list, all of them. */
  permission?: string | readonly string[]
}

export interface MenuGroup {
  key: string
  titleKey: string
  icon: Component
  entries: MenuEntry[]
}

export interface ConsoleModule {
  menu: MenuGroup
  routes: RouteRecordRaw[]
}

const PEOPLE_ADMIN = ['org.read', 'users.read'] as const

const orgModule: ConsoleModule = {
  menu: {
    key: 'org',
    titleKey: 'c.menu.org',
    icon: OfficeBuilding,
    entries: [
      { route: 'org-departments', titleKey: 'c.menu.departments', permission: 'org.read' },
      { route: 'org-teams', titleKey: 'c.menu.teams', permission: 'org.read' },
      { route: 'org-positions', titleKey: 'c.menu.positions', permission: 'org.read' },
      // Every role may read some people (pickers, "my team"); the management screen also needs org.read.
      { route: 'org-users', titleKey: 'c.menu.users', permission: PEOPLE_ADMIN },
      { route: 'org-import', titleKey: 'c.menu.import', permission: 'org.import' },
    ],
  },
  routes: [
    { path: 'org/departments', name: 'org-departments', component: () => import('./org/DepartmentsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.departments' } },
    { path: 'org/teams', name: 'org-teams', component: () => import('./org/TeamsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.teams' } },
    { path: 'org/positions', name: 'org-positions', component: () => import('./org/PositionsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.positions' } },
    { path: 'org/users', name: 'org-users', component: () => import('./org/UsersView.vue'), meta: { permission: PEOPLE_ADMIN, titleKey: 'c.menu.users' } },
    { path: 'org/import', name: 'org-import', component: () => import('./org/ImportView.vue'), meta: { permission: 'org.import', titleKey: 'c.menu.import' } },
  ],
}

const settingsModule: ConsoleModule = {
  menu: {
    key: 'settings',
    titleKey: 'c.menu.settings',
    icon: Setting,
    entries: [{ route: 'settings-tenant', titleKey: 'c.menu.tenant', permission: 'settings.write' }],
  },
  routes: [
    { path: 'settings/tenant', name: 'settings-tenant', component: () => import('./settings/TenantView.vue'), meta: { permission: 'settings.write', titleKey: 'c.menu.tenant' } },
  ],
}

export const HOME_ICON = House

export const CONSOLE_MODULES: ConsoleModule[] = [orgModule, settingsModule]

/** The menu as one user sees it: entries they may open, groups with at least one entry. */
export function visibleMenu(modules: readonly ConsoleModule[], can: (permission?: string | readonly string[]) => boolean): MenuGroup[] {
  return modules
    .map((m) => ({ ...m.menu, entries: m.menu.entries.filter((e) => can(e.permission)) }))
    .filter((g) => g.entries.length > 0)
}
