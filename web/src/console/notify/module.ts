import { Bell } from '@element-plus/icons-vue'
import type { ConsoleModule } from '../module-registry'
import { registerConsoleModule } from '../module-registry'

// Outbound channels, their test message and the delivery log (docs/notifications.md).
const notifyModule: ConsoleModule = {
  order: 40,
  menu: {
    key: 'notify',
    titleKey: 'notify.menu.group',
    icon: Bell,
    entries: [
      { route: 'notify-settings', titleKey: 'notify.menu.settings', permission: 'settings.write' },
      { route: 'notify-outbox', titleKey: 'notify.menu.outbox', permission: 'outbox.read' },
    ],
  },
  routes: [
    { path: 'settings/notify', name: 'notify-settings', component: () => import('./NotifySettingsView.vue'), meta: { permission: 'settings.write', titleKey: 'notify.menu.settings' } },
    { path: 'notify/outbox', name: 'notify-outbox', component: () => import('./OutboxView.vue'), meta: { permission: 'outbox.read', titleKey: 'notify.menu.outbox' } },
  ],
}

registerConsoleModule(notifyModule)
