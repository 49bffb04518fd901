// The organisation module's console menu and routes (departments, teams, positions, people, import).
import { OfficeBuilding } from '@element-plus/icons-vue'
import type { ConsoleModule } from '../module-registry'
import { registerConsoleModule } from '../module-registry'

const PEOPLE_ADMIN = ['org.read', 'users.read'] as const

const orgModule: ConsoleModule = {
  order: 20,
  menu: {
    key: 'org',
    titleKey: 'c.menu.org',
    icon: OfficeBuilding,
    entries: [
      { route: 'org-departments', titleKey: 'c.menu.departments', permission: 'org.read' },
      { route: 'org-teams', titleKey: 'c.menu.teams', permission: 'org.read' },
      { route: 'org-positions', titleKey: 'c.menu.positions', permission: 'org.read' },
      // Every role may read some people (pickers, "my team"); the management screen also needs org.read.
      { route: 'org-users', titleKey: 'c.menu.users', permission: PEOPLE_ADMIN },
      { route: 'org-import', titleKey: 'c.menu.import', permission: 'org.import' },
    ],
  },
  routes: [
    { path: 'org/departments', name: 'org-departments', component: () => import('./DepartmentsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.departments' } },
    { path: 'org/teams', name: 'org-teams', component: () => import('./TeamsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.teams' } },
    { path: 'org/positions', name: 'org-positions', component: () => import('./PositionsView.vue'), meta: { permission: 'org.read', titleKey: 'c.menu.positions' } },
    { path: 'org/users', name: 'org-users', component: () => import('./UsersView.vue'), meta: { permission: PEOPLE_ADMIN, titleKey: 'c.menu.users' } },
    { path: 'org/import', name: 'org-import', component: () => import('./ImportView.vue'), meta: { permission: 'org.import', titleKey: 'c.menu.import' } },
  ],
}

registerConsoleModule(orgModule)
