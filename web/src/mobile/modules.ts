// The phone's modules: every `src/mobile/<module>/module.ts` is loaded here and registers its routes,
// tab and home entry (module-registry.ts). A new module adds its own module.ts; nothing here changes.
import { mobileModules, type MobileModule } from './module-registry'

export type { MobileModule, MobileTab } from './module-registry'

import.meta.glob('./*/module.ts', { eager: true })

export const MOBILE_MODULES: readonly MobileModule[] = mobileModules()
