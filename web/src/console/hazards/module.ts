import { WarningFilled } from '@element-plus/icons-vue'
import type { ConsoleModule } from '../module-registry'
import { registerConsoleModule } from '../module-registry'

// Hazard closed loop (docs/hazards.md). Workers and auditors use the phone: the console's hazard
// screens are for those who assign (team leaders up), with metrics, work orders and settings by
// their own permissions. A single hazard opens for anyone who may read it (links from messages).
const HAZARD_ADMIN = 'hazards.assign'

const hazardsModule: ConsoleModule = {
  order: 10,
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
    { path: 'hazards/board', name: 'hazards-board', component: () => import('./BoardView.vue'), meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.board' } },
    { path: 'hazards/list', name: 'hazards-list', component: () => import('./HazardListView.vue'), meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.list' } },
    { path: 'hazards/overdue', name: 'hazards-overdue', component: () => import('./HazardListView.vue'), props: { overdue: true }, meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.overdue' } },
    { path: 'hazards/extensions', name: 'hazards-extensions', component: () => import('./ExtensionsView.vue'), meta: { permission: HAZARD_ADMIN, titleKey: 'hz.menu.extensions' } },
    { path: 'hazards/work-orders', name: 'hazards-work-orders', component: () => import('./WorkOrdersView.vue'), meta: { permission: 'work_orders.read', titleKey: 'hz.menu.workOrders' } },
    { path: 'hazards/work-orders/:id', name: 'work-order-detail', component: () => import('./WorkOrderDetailView.vue'), meta: { permission: 'work_orders.read', titleKey: 'hz.menu.workOrder' } },
    { path: 'hazards/metrics', name: 'hazards-metrics', component: () => import('./MetricsView.vue'), meta: { permission: 'hazards.metrics', titleKey: 'hz.menu.metrics' } },
    { path: 'hazards/settings', name: 'hazards-settings', component: () => import('./HazardSettingsView.vue'), meta: { permission: 'hazards.configure', titleKey: 'hz.menu.settings' } },
    { path: 'hazards/:id', name: 'hazard-detail', component: () => import('./HazardDetailView.vue'), meta: { permission: 'hazards.read', titleKey: 'hz.menu.detail' } },
  ],
}

registerConsoleModule(hazardsModule)
