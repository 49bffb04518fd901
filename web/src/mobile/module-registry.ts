// The phone's modules register themselves here, each from its own folder (`src/mobile/<module>/module.ts`
// calls `registerMobileModule` with its routes and, if it has them, its tab and its entry on the home
// screen); `modules.ts` loads every such file, so adding a module needs no edit anywhere else. Data the
// module keeps offline is registered from its own `offline.ts` (offline-features.ts).
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

export interface MobileTab {
  /** Name of the tab page's route (a tab page shows the tab bar and no back arrow). */
  route: string
  /** A `van-tabbar-item` (it decides itself whether the user may see it). */
  component: Component
}

export interface MobileModule {
  /** Unique; a second module with the same name is refused. */
  name: string
  /** Place of its tab (between 首页 and 扫码) and of its home entry (smaller first). */
  order: number
  /** Pages of the module (lazy components; `meta.permission` to guard them). */
  routes: RouteRecordRaw[]
  tabItem?: MobileTab
  /** Shown on the home screen below 上报隐患 (keep it small: it is part of the first load). */
  homeEntry?: Component
}

const modules = new Map<string, MobileModule>()

/** Registers a module; throws when a module of that name is already registered. */
export function registerMobileModule(m: MobileModule) {
  if (modules.has(m.name)) throw new Error(`mobile module "${m.name}" is registered twice`)
  modules.set(m.name, m)
}

/** Every registered module, in tab order (then by name, so the order never depends on loading). */
export function mobileModules(): MobileModule[] {
  return [...modules.values()].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))
}

/** For tests only: forgets every module. */
export function clearMobileModulesForTest() {
  modules.clear()
}
