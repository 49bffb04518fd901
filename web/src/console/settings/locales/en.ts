import type zh from './zh-CN'
import type { LocaleShape } from '@/lib/i18n/types'

const en: LocaleShape<typeof zh> = {
  settings: {
    tenant: {
      title: 'Organisation',
      name: 'Organisation name',
      logo: 'Logo',
      logoHint: 'Shown at the top left of the console. PNG, JPEG or SVG, square, up to 1 MB.',
      upload: 'Upload logo',
      remove: 'Remove logo',
      noLogo: 'No logo: the SafeLoop icon is shown',
      tooLarge: 'The file is over 1 MB; please make it smaller',
      notImage: 'Please choose a PNG, JPEG or SVG image',
      saved: 'Organisation saved',
    },
  },
}
export default en
