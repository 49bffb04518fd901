// The hazard screens (all lazy, one level below the tabs) and the home screen's task source.
import type { RouteRecordRaw } from 'vue-router'
import { registerTaskSource } from '../tasks/registry'
import { FEATURE_ROUTES } from '../feature-routes'

export const hazardRoutes: RouteRecordRaw[] = [
  {
    path: '/hazards/new',
    name: FEATURE_ROUTES.hazardReport,
    component: () => import('./views/ReportView.vue'),
    meta: { titleKey: 'mh.report.pageTitle', permission: 'hazards.report' },
  },
  {
    path: '/hazards',
    name: FEATURE_ROUTES.hazardList,
    component: () => import('./views/ListView.vue'),
    meta: { titleKey: 'mh.list.pageTitle', permission: 'hazards.read' },
  },
  {
    path: '/hazards/:id',
    name: FEATURE_ROUTES.hazardDetail,
    component: () => import('./views/DetailView.vue'),
    props: true,
    meta: { titleKey: 'mh.detail.pageTitle', permission: 'hazards.read' },
  },
]

// Hazards I must act on appear among the home screen's tasks. The loader (API, texts) loads lazily.
registerTaskSource({
  key: 'hazards',
  load: async () => (await import('./task-loader')).loadHazardTasks(),
})
