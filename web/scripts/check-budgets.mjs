// Fails the build when an entry's first load (JS + CSS, gzip) exceeds its budget.
// Budgets come from issue 3: mobile ≤ 200 KB, console ≤ 400 KB (KB = 1000 bytes here, to be strict).
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { readManifest, entryFiles } from './entry-graph.mjs'

const KB = 1000
export const BUDGETS = { 'mobile.html': 200 * KB, 'console.html': 400 * KB }

const distDir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const manifest = readManifest(distDir)

/** @param {string} file */
const gzipSize = (file) => gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length

let failed = false
for (const [entry, budget] of Object.entries(BUDGETS)) {
  const { js, css } = entryFiles(manifest, entry)
  const jsBytes = js.reduce((sum, f) => sum + gzipSize(f), 0)
  const cssBytes = css.reduce((sum, f) => sum + gzipSize(f), 0)
  const total = jsBytes + cssBytes
  const ok = total <= budget
  failed ||= !ok
  /** @param {number} n */
  const kb = (n) => (n / KB).toFixed(1)
  console.log(
    `${ok ? 'ok  ' : 'OVER'} ${entry.padEnd(13)} first load ${kb(total)} KB gzip ` +
      `(js ${kb(jsBytes)} in ${js.length} files, css ${kb(cssBytes)} in ${css.length} files) / budget ${kb(budget)} KB`,
  )
}
if (failed) {
  console.error('Performance budget exceeded: split code or drop dependencies (see docs/web.md).')
  process.exit(1)
}
