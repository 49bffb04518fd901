// The console's modules and their menu entries. Each later module (hazards, inspections, permits…)
// adds a group here with its routes; a user sees only the entries their permissions allow.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { Bell, House, OfficeBuilding, Setting, WarningFilled } from '@element-plus/icons-vue'

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

// Hazard closed loop (docs/hazards.md). Workers and auditors use the phone: the console's hazard
// screens are for those who assign (team leaders up), with metrics, work orders and settings by
// their own permissions. A single hazard opens for anyone who may read it (links from messages).
const HAZARD_ADMIN = 'hazards.assign'

const hazardsModule: ConsoleModule = {
  menu: {
    key: 'hazards',
    titleKey: 'hz.menu.group',
    icon: WarningFilled,
    entries: [
      { route: 'hazards-board', titleKey: 'hz.menu.board', permission: HAZARD_ADMIN },
      { route: 'hazards-list', titleKey: 'hz.menu.list', permission: HAZARD_ADMIN },
      { route: 'hazards-overdue', titleKey: 'hz.menu.overdue', permission: HAZARD_ADMIN },
      { route: 'hazards-extensions', titleKey: 'hz.menu.extensions', permission: HAZARD_ADMIN },
      { route: 'hazards-work-orders', titleKey: 'hz.menu.workOrders', permission: 'work_orders.read' },
      { route: 'hazards-metrics', titleKey: 'hz.menu.metrics', permission: 'hazards.metrics' },
      { route: 'hazards-settings', titleKey: 'hz.menu.settings', permission: 'hazards.configure' },
    ],
  },
  routes: [
    { path: 'hazards/board', name: 'hazards-board', component: () => import('./hazards/BoardView.vue'), meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.board' } },
    { path: 'hazards/list', name: 'hazards-list', component: () => import('./hazards/HazardListView.vue'), meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.list' } },
    { path: 'hazards/overdue', name: 'hazards-overdue', component: () => import('./hazards/HazardListView.vue'), props: { overdue: true }, meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.overdue' } },
    { path: 'hazards/extensions', name: 'hazards-extensions', component: () => import('./hazards/ExtensionsView.vue'), meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.extensions' } },
    { path: 'hazards/work-orders', name: 'hazards-work-orders', component: () => import('./hazards/WorkOrdersView.vue'), meta: { permission: 'work_orders.read', titleKey: 'hz.menu.workOrders' } },
    { path: 'hazards/work-orders/:id', name: 'work-order-detail', component: () => import('./hazards/WorkOrderDetailView.vue'), meta: { permission: 'work_orders.read', titleKey: 'hz.menu.workOrder' } },
    { path: 'hazards/metrics', name: 'hazards-metrics', component: () => import('./hazards/MetricsView.vue'), meta: { permission: 'hazards.metrics', titleKey: 'hz.menu.metrics' } },
    { path: 'hazards/settings', name: 'hazards-settings', component: () => import('./hazards/HazardSettingsView.vue'), meta: { permission: 'hazards.configure', titleKey: 'hz.menu.settings' } },
    { path: 'hazards/:id', name: 'hazard-detail', component: () => import('./hazards/HazardDetailView.vue'), meta: { permission: 'hazards.read', titleKey: 'hz.menu.detail' } },
  ],
}

// Outbound channels, their test message and the delivery log (docs/notifications.md).
const notifyModule: ConsoleModule = {
  menu: {
    key: 'notify',
    titleKey: 'notify.menu.group',
    icon: Bell,
    entries: [
      { route: 'notify-settings', titleKey: 'notify.menu.settings', permission: 'settings.write' },
      { route: 'notify-outbox', titleKey: 'notify.menu.outbox', permission: 'outbox.read' },
    ],
  },
  routes: [
    { path: 'settings/notify', name: 'notify-settings', component: () => import('./notify/NotifySettingsView.vue'), meta: { permission: 'settings.write', titleKey: 'notify.menu.settings' } },
    { path: 'notify/outbox', name: 'notify-outbox', component: () => import('./notify/OutboxView.vue'), meta: { permission: 'outbox.read', titleKey: 'notify.menu.outbox' } },
  ],
}

export const HOME_ICON = House

export const CONSOLE_MODULES: ConsoleModule[] = [hazardsModule, orgModule, settingsModule, notifyModule]

/** The menu as one user sees it: entries they may open, groups with at least one entry. */
export function visibleMenu(modules: readonly ConsoleModule[], can: (permission?: string | readonly string[]) => boolean): MenuGroup[] {
  return modules
    .map((m) => ({ ...m.menu, entries: m.menu.entries.filter((e) => can(e.permission)) }))
    .filter((g) => g.entries.length > 0)
}
