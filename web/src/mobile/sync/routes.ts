// The sync status screen (我的 → 同步状态; one level below the tabs).
import type { RouteRecordRaw } from 'vue-router'

export const SYNC_STATUS_ROUTE = 'sync-status'

export const syncRoutes: RouteRecordRaw[] = [
  {
    path: '/sync',
    name: SYNC_STATUS_ROUTE,
    component: () => import('./views/SyncStatusView.vue'),
    meta: { titleKey: 'ms.pageTitle' },
  },
]
