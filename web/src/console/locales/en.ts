import type zh from './zh-CN'
import type { LocaleShape } from '@/lib/i18n/types'

const en: LocaleShape<typeof zh> = {
  c: {
    title: 'Console',
    menu: {
      home: 'Overview',
      org: 'Organisation',
      departments: 'Departments',
      teams: 'Teams',
      positions: 'Positions',
      users: 'People',
      settings: 'Settings',
      tenant: 'Organisation',
      import: 'Bulk import',
    },
    header: {
      collapse: 'Collapse menu',
      expand: 'Expand menu',
      userMenu: 'User menu',
      profile: 'Profile',
      toMobile: 'Switch to mobile',
    },
    login: {
      title: 'Sign in to the console',
      submit: 'Sign in',
      subtitle: 'Safety production management',
    },
    home: {
      welcome: 'Welcome back, {name}',
      tenant: 'Organisation: {tenant}',
      roles: 'Roles: {roles}',
      modules: 'Your modules',
      noModules: 'Your account has no console module yet. Ask your administrator for access.',
      moreSoon: 'Hazards, inspections, permits and other modules appear in the menu once installed.',
      useMobile: 'For everyday work — reporting hazards, inspection rounds — use the mobile app',
      open: 'Open',
    },
    forbidden: {
      title: 'Not allowed',
      body: 'Your account may not open this page. Ask your administrator for access.',
      home: 'Back to overview',
    },
    notFound: {
      title: 'Page not found',
      body: 'The link may be out of date; use the menu on the left.',
    },
  },
}
export default en
