// The console's modules: every `src/console/<module>/module.ts` is loaded here and registers its menu
// group and routes (module-registry.ts). A new module adds its own module.ts; nothing here changes.
import { House } from '@element-plus/icons-vue'
import { consoleModules, type ConsoleModule, type MenuGroup } from './module-registry'

export type { ConsoleModule, MenuEntry, MenuGroup } from './module-registry'

import.meta.glob('./*/module.ts', { eager: true })

export const HOME_ICON = House

export const CONSOLE_MODULES: readonly ConsoleModule[] = consoleModules()

/** The menu as one user sees it: entries they may open, groups with at least one entry. */
export function visibleMenu(modules: readonly ConsoleModule[], can: (permission?: string | readonly string[]) => boolean): MenuGroup[] {
  return modules
    .map((m) => ({ ...m.menu, entries: m.menu.entries.filter((e) => can(e.permission)) }))
    .filter((g) => g.entries.length > 0)
}
