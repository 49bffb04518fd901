// Every hazard and notification message compiles in vue-i18n and renders (a stray brace or pipe in a
// message would break the component that shows it).
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { consoleMessages } from '../i18n'

type Tree = { [key: string]: string | Tree }
function keys(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : keys(v, `${prefix}${k}.`)))
}

describe('hazard and notify messages', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`render in ${locale}`, () => {
      const errors: unknown[] = []
      const i18n = createI18n({ legacy: false, locale, messages: consoleMessages, missingWarn: false, fallbackWarn: false, warnHtmlMessage: false })
      const tree = consoleMessages[locale] as Tree
      const mine = [...keys(tree.hz as Tree, 'hz.'), ...keys(tree.notify as Tree, 'notify.')]
      expect(mine.length).toBeGreaterThan(200)
      for (const [key, source] of mine) {
        const params = Object.fromEntries([...source.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'X']))
        try {
          const text = i18n.global.t(key, params)
          expect(text, key).not.toBe(key)
          expect(text, key).not.toContain('{')
        } catch (e) {
          errors.push(`${key}: ${String(e)}`)
        }
      }
      expect(errors).toEqual([])
    })
  }
})
