import type { LocaleShape } from '@/lib/i18n/types'
import type zh from './zh-CN'

const en: LocaleShape<typeof zh> = {
  ms: {
    pageTitle: 'Sync status',
    meEntry: 'Sync status',
    meEntryWaiting: '{n} waiting',
    state: {
      waiting: 'Waiting',
      sending: 'Sending',
      synced: 'Synced',
      refused: 'Refused',
    },
    counts: 'Waiting {waiting} · Sending {sending} · Refused {refused}',
    lastSuccess: 'Last successful sync',
    lastError: 'Last error',
    never: 'Never',
    none: 'None',
    syncNow: 'Sync now',
    syncing: 'Syncing…',
    syncedToast: 'Synced',
    failedToast: 'The server cannot be reached; the phone will retry by itself',
    busyToast: 'Another tab is syncing',
    records: 'Records',
    empty: 'Nothing waiting: everything has been uploaded',
    attempts: '{n} attempts',
    reason: 'Reason: {message}',
    fix: 'Fix and resend',
    resend: 'Send again',
    discard: 'Discard',
    discardConfirm: 'This record will not be uploaded. Discard it?',
    resendAll: 'Send everything again',
    resendAllConfirm: 'Send every record again, synced ones included? The server recognises repeats and creates nothing twice.',
    showSynced: 'Show synced records',
    offlineNote: 'What you enter offline stays on the phone and is uploaded when the network is back.',
    type: {
      hazard_create: 'Hazard report',
      hazard_accept: 'Accept',
      hazard_rectify: 'Rectification',
      hazard_verify: 'Verification',
      hazard_extension: 'Extension request',
      other: 'Other',
    },
    files: '{n} files',
    untitled: '(no title)',
  },
}
export default en
