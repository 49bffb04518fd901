// The console's modules register themselves here, each from its own folder (`src/console/<module>/module.ts`
// calls `registerConsoleModule` with its menu group and lazy routes); `modules.ts` loads every such file,
// so adding a module needs no edit anywhere else. A user sees only the entries their permissions allow.
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

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
  /** Place of its group in the sidebar (smaller first). */
  order: number
  menu: MenuGroup
  /** Children of the console layout; `meta.permission` as on the menu entry that opens them. */
  routes: RouteRecordRaw[]
}

const modules = new Map<string, ConsoleModule>()

/** Registers a module (again under the same menu key: replaced). */
export function registerConsoleModule(m: ConsoleModule) {
  modules.set(m.menu.key, m)
}

/** Every registered module, in sidebar order. */
export function consoleModules(): ConsoleModule[] {
  return [...modules.values()].sort((a, b) => a.order - b.order)
}
