// The console's modules and their menu entries. Each later module (hazards, inspections, permits…)
// adds a group here with its routes; a user sees only the entries their permissions allow.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { House, OfficeBuilding } from '@element-plus/icons-vue'

export interface MenuEntry {
  /** Route name; the path comes from the route. */
  route: string
  titleKey: string
  permission?: string
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

const orgModule: ConsoleModule = {
  menu: {
    key: 'org',
    titleKey: 'c.menu.org',
    icon: OfficeBuilding,
    entries: [
      { route: 'org-departments', titleKey: 'c.menu.departments', permission: 'org.read' },
      { route: 'org-teams', titleKey: 'c.menu.teams', permission: 'org.read' },
      { route: 'org-positions', titleKey: 'c.menu.positions', permission: 'org.read' },
      { route: 'org-users', titleKey: 'c.menu.users', permission: 'users.read' },
      { route: 'org-import', titleKey: 'c.menu.import', permission: 'org.import' },
    ],
  },
  routes: [
    { path: 'org/departments', name: 'org-departments', component: () => import('./org/DepartmentsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.departments' } },
    { path: 'org/teams', name: 'org-teams', component: () => import('./org/TeamsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.teams' } },
    { path: 'org/positions', name: 'org-positions', component: () => import('./org/PositionsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.positions' } },
    { path: 'org/users', name: 'org-users', component: () => import('./org/UsersView.vue'), meta: { permission: 'users.read', titleKey: 'c.menu.users' } },
    { path: 'org/import', name: 'org-import', component: () => import('./org/ImportView.vue'), meta: { permission: 'org.import', titleKey: 'c.menu.import' } },
  ],
}

export const HOME_ICON = House

export const CONSOLE_MODULES: ConsoleModule[] = [orgModule]

/** The menu as one user sees it: entries they may open, groups with at least one entry. */
export function visibleMenu(modules: readonly ConsoleModule[], can: (permission?: string) => boolean): MenuGroup[] {
  return modules
    .map((m) => ({ ...m.menu, entries: m.menu.entries.filter((e) => can(e.permission)) }))
    .filter((g) => g.entries.length > 0)
}
