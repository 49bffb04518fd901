// Console routes live under /console/. Each module's pages are loaded on demand (route-level code
// splitting keeps the first load inside its budget).
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { installAuthGuard } from '@/lib/auth/guard'
import ConsoleLayout from './layout/ConsoleLayout.vue'
import { CONSOLE_MODULES } from './modules'

export const CONSOLE_BASE = '/console/'

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, titleKey: 'c.login.title' } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', name: 'home', component: () => import('./views/HomeView.vue'), meta: { titleKey: 'c.menu.home' } },
      ...CONSOLE_MODULES.flatMap((m) => m.routes),
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/MessageView.vue'), props: { kind: 'forbidden' }, meta: { titleKey: 'c.forbidden.title' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./views/MessageView.vue'), props: { kind: 'notFound' }, meta: { titleKey: 'c.notFound.title' } },
    ],
  },
]

export function createConsoleRouter() {
  const router = createRouter({ history: createWebHistory(CONSOLE_BASE), routes })
  installAuthGuard(router)
  return router
}
