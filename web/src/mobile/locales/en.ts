import type zh from './zh-CN'
import type { LocaleShape } from '@/lib/i18n/types'

const en: LocaleShape<typeof zh> = {
  m: {
    tabs: {
      home: 'Home',
      scan: 'Scan',
      me: 'Me',
    },
    login: {
      title: 'Sign in',
      submit: 'Sign in',
      hintDemo: 'Ask the safety department or your administrator for your first password',
    },
    home: {
      greeting: 'Hello, {name}',
      report: 'Report a hazard',
      reportHint: 'Take a photo and send it, three steps',
      reportUnavailable: 'The hazard module is not installed yet, so reporting is not possible here. Use the paper form or call the safety department.',
      scan: 'Scan to inspect',
      scanHint: 'Scan the QR code on the equipment to open its checklist',
      tasks: 'My tasks',
      tasksLoading: 'Loading your tasks…',
      tasksFailed: 'Could not load your tasks',
      emptyTitle: 'Nothing to do',
      emptyBody: 'No task is waiting for you. Found a hazard? Tap Report a hazard above. On an inspection round, tap Scan to inspect and scan the QR code on the equipment.',
      due: 'Due {time}',
      overdue: 'Overdue',
    },
    scan: {
      title: 'Scan',
      start: 'Open camera to scan',
      stop: 'Stop scanning',
      pickImage: 'Pick a QR code photo',
      aim: 'Fit the QR code inside the frame',
      starting: 'Opening the camera…',
      result: 'Scanned',
      again: 'Scan again',
      copy: 'Copy',
      copied: 'Copied',
      openPoint: 'Open inspection point',
      notFound: 'No QR code found in this picture. Try a sharper photo.',
      noCamera: 'The camera is not available: {reason}. You can pick a QR code photo instead.',
      cameraDenied: 'camera permission denied',
      unsupported: 'This browser cannot scan codes',
      engine: 'Decoder: {engine}',
      engineNative: 'built into the system',
      enginePolyfill: 'bundled (WebAssembly)',
      pointHint: 'Once the inspection module is installed, scanning a point’s QR code opens its checklist.',
    },
    me: {
      title: 'Me',
      profile: 'Profile',
      name: 'Name',
      login: 'Login',
      mobile: 'Mobile',
      roles: 'Roles',
      tenant: 'Organisation',
      language: '语言 / Language',
      console: 'Open the desktop console',
      version: 'Version',
    },
    forbidden: {
      title: 'Not allowed',
      body: 'Your account may not open this page.',
      home: 'Back to home',
    },
    notFound: {
      title: 'Page not found',
      body: 'The link may be out of date.',
    },
    sw: {
      updated: 'A new version is ready; refresh to use it',
      refresh: 'Refresh',
    },
  },
}
export default en
