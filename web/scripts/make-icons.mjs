// Renders the PNG app icons from public/icons/*.svg with Debian's Chromium (run by hand after
// changing an SVG: `node scripts/make-icons.mjs`; the PNGs are committed).
import { chromium } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons')
/** @type {Array<[string, string, number]>} */
const jobs = [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['maskable.svg', 'maskable-512.png', 512],
  ['maskable.svg', 'apple-touch-icon.png', 180],
]
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage()
for (const [svg, png, size] of jobs) {
  await page.setViewportSize({ width: size, height: size })
  const data = readFileSync(join(dir, svg), 'utf8')
  await page.setContent(
    `<html><body style="margin:0;background:transparent"><img style="width:${size}px;height:${size}px;display:block" src="data:image/svg+xml;base64,${Buffer.from(data).toString('base64')}"></body></html>`,
  )
  await page.screenshot({ path: join(dir, png), omitBackground: true })
  console.log(`${png} ${size}x${size}`)
}
await browser.close()
