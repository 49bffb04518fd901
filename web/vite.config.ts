/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver, VantResolver } from 'unplugin-vue-components/resolvers'
import { VitePWA } from 'vite-plugin-pwa'
import { readManifest, entryFiles } from './scripts/entry-graph.mjs'

const root = fileURLToPath(new URL('.', import.meta.url))
const outDir = resolve(root, 'dist')
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }

/**
 * In `vite dev`, mimic what `safeloop serve` does in production: /m/* → mobile.html,
 * /console/* → console.html, / → one of them by User-Agent.
 */
function spaFallback(): Plugin {
  return {
    name: 'safeloop-spa-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? '/'
        const path = url.split('?')[0] ?? '/'
        const isFile = /\.[a-z0-9]+$/i.test(path) || path.startsWith('/@') || path.startsWith('/src/') || path.startsWith('/node_modules/')
        if (!isFile && (path === '/m' || path.startsWith('/m/'))) req.url = '/mobile.html'
        else if (!isFile && (path === '/console' || path.startsWith('/console/'))) req.url = '/console.html'
        else if (path === '/') req.url = /Mobi|Android|iPhone/i.test(req.headers['user-agent'] ?? '') ? '/mobile.html' : '/console.html'
        next()
      })
    },
  }
}

/**
 * Vant's icon font lists a CDN copy (at.alicdn.com) after the one inlined as data: — a third-party origin that the
 * server's Content-Security-Policy blocks (and a plant LAN cannot reach). Drop it, so the browser logs no violation.
 */
function dropRemoteFonts(): Plugin {
  const remote = /,\s*url\(\s*["']?(?:https?:)?\/\/at\.alicdn\.com\/[^)]*\)\s*format\(\s*["']?woff["']?\s*\)/g
  return {
    name: 'safeloop-drop-remote-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('vant') || !/\.css($|\?)/.test(id) || !remote.test(code)) return null
      remote.lastIndex = 0
      return { code: code.replace(remote, ''), map: null }
    },
  }
}

/** Precache only the mobile app shell: everything mobile.html can load, never the console. */
function mobileOnlyPrecache(entries: Array<{ url: string; size: number; revision: string | null }>) {
  const manifestPath = resolve(outDir, '.vite', 'manifest.json')
  if (!existsSync(manifestPath)) return { manifest: entries, warnings: ['no Vite manifest: precaching nothing'] }
  const { js, css, assets } = entryFiles(readManifest(outDir), 'mobile.html', { followDynamic: true })
  const wanted = new Set<string>([...js, ...css, ...assets, 'mobile.html', 'manifest.webmanifest'])
  const manifest = entries.filter((e) => wanted.has(e.url) || e.url.startsWith('icons/'))
  return { manifest, warnings: [] }
}

export default defineConfig({
  base: '/',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  plugins: [
    spaFallback(),
    dropRemoteFonts(),
    vue(),
    Components({
      dts: 'src/components.d.ts',
      resolvers: [VantResolver(), ElementPlusResolver({ importStyle: 'css' })],
    }),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/mobile',
      filename: 'sw.ts',
      manifest: false,
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,webmanifest}'],
        globIgnores: ['sw.js', '.vite/**'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        manifestTransforms: [mobileOnlyPrecache],
        rollupFormat: 'iife',
      },
    }),
  ],
  server: {
    proxy: {
      '/api': process.env.SAFELOOP_API ?? 'http://127.0.0.1:8080',
      '/healthz': process.env.SAFELOOP_API ?? 'http://127.0.0.1:8080',
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: {
        mobile: resolve(root, 'mobile.html'),
        console: resolve(root, 'console.html'),
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    server: { deps: { inline: ['vant'] } },
  },
})
