// Mobile routes live under /m/. Level 1: the tab pages (home, my hazards, scan, me). Level 2: pages opened from
// them, with a back arrow. Nothing deeper (the brief: no five-menu journeys on the shop floor).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { installAuthGuard } from '@/lib/auth/guard'
import HomeView from './views/HomeView.vue'
import { MOBILE_MODULES } from './modules'

export const MOBILE_BASE = '/m/'

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, titleKey: 'm.login.title' } },
  { path: '/', name: 'home', component: HomeView, meta: { titleKey: 'm.tabs.home' } },
  { path: '/scan', name: 'scan', component: () => import('./views/ScanView.vue'), meta: { titleKey: 'm.scan.title' } },
  { path: '/me', name: 'me', component: () => import('./views/MeView.vue'), meta: { titleKey: 'm.me.title' } },
  // Each module's pages (src/mobile/<module>/module.ts).
  ...MOBILE_MODULES.flatMap((m) => m.routes),
  { path: '/forbidden', name: 'forbidden', component: () => import('./views/MessageView.vue'), props: { kind: 'forbidden' }, meta: { public: true } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/MessageView.vue'), props: { kind: 'notFound' }, meta: { public: true } },
]

export function createMobileRouter() {
  const router = createRouter({ history: createWebHistory(MOBILE_BASE), routes })
  installAuthGuard(router)
  return router
}
