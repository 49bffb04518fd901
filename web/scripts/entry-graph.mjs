// Walks Vite's build manifest (dist/.vite/manifest.json) to find the files an HTML entry needs.
// Used by the budget check (initial load) and by the service-worker precache list (mobile shell).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** @typedef {{file: string, src?: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[], assets?: string[]}} ManifestChunk */

/** @param {string} distDir @returns {Record<string, ManifestChunk>} */
export function readManifest(distDir) {
  return JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8'))
}

/**
 * Files reachable from `entryKey`.
 * With `followDynamic` false: what the browser fetches on first load (entry + static imports + their CSS).
 * With `followDynamic` true: everything the app can ever load (lazy routes included).
 * @param {Record<string, ManifestChunk>} manifest
 * @param {string} entryKey e.g. "mobile.html"
 * @param {{followDynamic?: boolean}} [options]
 * @returns {{js: string[], css: string[], assets: string[]}}
 */
export function entryFiles(manifest, entryKey, options = {}) {
  const { followDynamic = false } = options
  if (!manifest[entryKey]) throw new Error(`entry ${entryKey} not in the Vite manifest`)
  const seen = new Set()
  const js = new Set()
  const css = new Set()
  const assets = new Set()
  /** @param {string} key */
  const visit = (key) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) return
    if (chunk.file.endsWith('.js')) js.add(chunk.file)
    else if (chunk.file.endsWith('.css')) css.add(chunk.file)
    for (const c of chunk.css ?? []) css.add(c)
    for (const a of chunk.assets ?? []) assets.add(a)
    for (const i of chunk.imports ?? []) visit(i)
    if (followDynamic) for (const i of chunk.dynamicImports ?? []) visit(i)
  }
  visit(entryKey)
  return { js: [...js], css: [...css], assets: [...assets] }
}
