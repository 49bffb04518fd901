// Every UI string goes through vue-i18n: every locale file has the same keys in zh-CN and en, every
// key the code uses exists, and components carry no literal Chinese or English UI text.
import { describe, expect, it } from 'vitest'
import { mobileMessages } from '@/mobile/i18n'
import { consoleMessages } from '@/console/i18n'

type Tree = { [key: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

const localeFiles = import.meta.glob<{ default: Tree }>('/src/**/locales/*.ts', { eager: true })
const sources = import.meta.glob<string>(['/src/**/*.vue', '/src/**/*.ts', '!/src/**/*.test.ts', '!/src/**/locales/*.ts'], {
  eager: true,
  query: '?raw',
  import: 'default',
})

describe('i18n completeness', () => {
  const dirs = new Set(Object.keys(localeFiles).map((p) => p.replace(/\/[^/]+$/, '')))

  it('finds the locale files', () => {
    expect(dirs.size).toBeGreaterThanOrEqual(3)
  })

  for (const dir of dirs) {
    it(`${dir}: zh-CN and en have the same keys, none empty`, () => {
      const zh = localeFiles[`${dir}/zh-CN.ts`]
      const en = localeFiles[`${dir}/en.ts`]
      expect(zh, `${dir}/zh-CN.ts`).toBeDefined()
      expect(en, `${dir}/en.ts`).toBeDefined()
      const zhKeys = flatten(zh!.default)
      const enKeys = flatten(en!.default)
      expect([...enKeys.keys()].sort()).toEqual([...zhKeys.keys()].sort())
      for (const [key, value] of [...zhKeys, ...enKeys]) expect(value.trim(), key).not.toBe('')
    })
  }

  it('uses the same {placeholders} in both languages', () => {
    for (const messages of [mobileMessages, consoleMessages]) {
      const zh = flatten(messages['zh-CN'])
      const en = flatten(messages.en)
      for (const [key, value] of zh) {
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
        expect(names(en.get(key) ?? ''), key).toEqual(names(value))
      }
    }
  })

  it('every literal key passed to t() exists in the app that uses it', () => {
    const keyPattern = /\b\$?t\(\s*'([A-Za-z0-9_.-]+)'/g
    const missing: string[] = []
    for (const [path, text] of Object.entries(sources)) {
      const apps = path.startsWith('/src/mobile/') ? [mobileMessages] : path.startsWith('/src/console/') ? [consoleMessages] : [mobileMessages, consoleMessages]
      for (const match of text.matchAll(keyPattern)) {
        for (const messages of apps) {
          for (const locale of ['zh-CN', 'en'] as const) {
            if (!flatten(messages[locale]).has(match[1]!)) missing.push(`${path}: ${match[1]} (${locale})`)
          }
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('every titleKey / titleKey-like key in route and menu definitions exists', () => {
    const keyPattern = /titleKey:\s*'([A-Za-z0-9_.-]+)'/g
    const missing: string[] = []
    for (const [path, text] of Object.entries(sources)) {
      const messages = path.startsWith('/src/mobile/') ? mobileMessages : consoleMessages
      for (const match of text.matchAll(keyPattern)) {
        for (const locale of ['zh-CN', 'en'] as const) if (!flatten(messages[locale]).has(match[1]!)) missing.push(`${path}: ${match[1]}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('components contain no literal UI text', () => {
    const offenders: string[] = []
    for (const [path, text] of Object.entries(sources)) {
      if (!path.endsWith('.vue')) continue
      const template = text.match(/<template>([\s\S]*)<\/template>/)?.[1] ?? ''
      const cleaned = template.replace(/<!--[\s\S]*?-->/g, '').replace(/\{\{[\s\S]*?\}\}/g, '')
      // Literal text in the usual text-bearing attributes (bound ones, `:label="t(...)"`, are fine).
      for (const m of cleaned.matchAll(/\s(?:title|label|placeholder|description|alt|aria-label|text|confirm-button-text|cancel-text|loading-text)="([^"]*)"/g)) {
        if (/[A-Za-z\u4e00-\u9fff]/.test(m[1]!)) offenders.push(`${path}: attribute "${m[1]}"`)
      }
      // Text between tags, e.g. `<span>Save</span>` or `<b>保存</b>`, once attributes are gone.
      const noAttributes = cleaned.replace(/\s[^\s=<>"]+="[^"]*"/g, '')
      for (const m of noAttributes.matchAll(/>([^<>]+)</g)) {
        const textNode = m[1]!.trim()
        if (/[A-Za-z\u4e00-\u9fff]/.test(textNode)) offenders.push(`${path}: "${textNode}"`)
      }
      // Chinese anywhere in a component (script included) belongs in a locale file.
      const script = text.replace(/<template>[\s\S]*<\/template>/, '').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '')
      if (/[\u4e00-\u9fff]/.test(script)) offenders.push(`${path}: Chinese text in <script>`)
    }
    expect(offenders).toEqual([])
  })
})

describe('server messages', () => {
  it('keep the half for the UI language', async () => {
    const { pickLanguage } = await import('./index')
    expect(pickLanguage('必填 / is required', 'zh-CN')).toBe('必填')
    expect(pickLanguage('必填 / is required', 'en')).toBe('is required')
    expect(pickLanguage('plain', 'en')).toBe('plain')
  })
})
