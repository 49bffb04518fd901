// System settings in the console: the tenant's name and logo.
import { Setting } from '@element-plus/icons-vue'
import type { ConsoleModule } from '../module-registry'
import { registerConsoleModule } from '../module-registry'

const settingsModule: ConsoleModule = {
  order: 30,
  menu: {
    key: 'settings',
    titleKey: 'c.menu.settings',
    icon: Setting,
    entries: [{ route: 'settings-tenant', titleKey: 'c.menu.tenant', permission: 'settings.write' }],
  },
  routes: [
    { path: 'settings/tenant', name: 'settings-tenant', component: () => import('./TenantView.vue'), meta: { permission: 'settings.write', titleKey: 'c.menu.tenant' } },
  ],
}

registerConsoleModule(settingsModule)
