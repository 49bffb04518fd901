/// <reference lib="webworker" />
// Service worker of the mobile app:
//  * precaches the mobile shell (the list is built by vite.config.ts from the mobile entry only) and
//    answers /m/* navigations with the cached mobile.html, so a reload without network opens the app;
//  * API reads go to the network first; when there is no network they are answered from the phone's
//    local view in IndexedDB (the same Dexie database the outbox keeps): GET /me, what the features'
//    registered reads answer (offline-features.ts; e.g. /hazards, /hazards/{id}, /hazards/settings) and
//    /files/{sha}[/thumbnail] of photos taken on this phone. Successful answers of /me and of the reads
//    that remember refresh that view;
//  * a photo or video uploaded with no network (POST /files, as every form's upload step does) is kept
//    in IndexedDB under its SHA-256 — the id the server will give it — and answered as stored, so the
//    form can be submitted offline; the outbox uploads the bytes before the record that names them.
//    Every other write goes through the outbox (src/lib/offline), never through here.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { OfflineDb, getMeta, setMeta } from '../lib/offline/db'
import { localReadFor } from '../lib/offline/registry'
import { keepFile } from '../lib/offline/keep'
import { readExif } from '../lib/files/exif'
import { ME_KEY, authKey, type SavedMe } from '../lib/offline/profile'
import './offline-features'

declare const self: ServiceWorkerGlobalScope

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()
registerRoute(new NavigationRoute(createHandlerBoundToURL('/mobile.html'), { allowlist: [/^\/m(\/|$)/] }))

let db: OfflineDb | null = null
const local = () => (db ??= new OfflineDb())

/** The outbox's own requests (src/lib/offline/files.ts): never answered from the phone. */
const fromOutbox = (request: Request) => request.headers.has('X-SafeLoop-Outbox')

const ME = '/api/v1/me'
const FILE = /^\/api\/v1\/files\/([0-9a-f]{64})(\/thumbnail)?$/i

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', 'X-SafeLoop-Local': '1' } })
}

const bearer = (request: Request) => (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '')

/** Keeps a successful answer the phone can give again offline: /me, and what the features' reads remember. */
async function remember(url: URL, request: Request, response: Response): Promise<void> {
  const d = local()
  if (url.pathname === ME) {
    const saved: SavedMe = { auth: await authKey(bearer(request)), body: await response.json() }
    await setMeta(d, ME_KEY, saved)
    return
  }
  const found = localReadFor(url)
  if (found?.read.remember) await found.read.remember(d, found.match, await response.json())
}

async function fromLocal(url: URL, request: Request): Promise<Response | null> {
  const d = local()
  if (url.pathname === ME) {
    const saved = await getMeta<SavedMe>(d, ME_KEY)
    return saved && saved.auth === (await authKey(bearer(request))) ? json(saved.body) : null
  }
  const found = localReadFor(url)
  if (found) {
    const body = await found.read.read(d, found.match, url)
    return body === undefined || body === null ? null : json(body)
  }
  const f = FILE.exec(url.pathname)
  if (f) {
    const file = await d.files.get(f[1]!.toLowerCase())
    return file ? new Response(file.blob, { status: 200, headers: { 'Content-Type': file.content_type, 'X-SafeLoop-Local': '1' } }) : null
  }
  return null
}

const remembered = (url: URL) => url.pathname === ME || !!localReadFor(url)?.read.remember

registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.startsWith('/api/v1/'),
  async ({ url, request, event }) => {
    try {
      const response = await fetch(request)
      if (response.ok && remembered(url)) {
        const work = remember(url, request, response.clone()).catch(() => undefined)
        ;(event as ExtendableEvent | undefined)?.waitUntil?.(work)
      }
      return response
    } catch (e) {
      const answer = await fromLocal(url, request).catch(() => null)
      if (answer) return answer
      throw e
    }
  },
)

// HEAD /files/{sha} with no network: "present" when the phone keeps the file (it will be uploaded with
// its record), else 404 so the form goes on to POST it (kept above).
registerRoute(
  ({ url, request }) => request.method === 'HEAD' && !fromOutbox(request) && url.origin === self.location.origin && FILE.test(url.pathname),
  async ({ url, request }) => {
    try {
      return await fetch(request)
    } catch {
      const kept = await local().files.get(FILE.exec(url.pathname)![1]!.toLowerCase()).catch(() => undefined)
      return new Response(null, { status: kept ? 200 : 404, headers: { 'X-SafeLoop-Local': '1' } })
    }
  },
  'HEAD',
)

registerRoute(
  ({ url, request }) => request.method === 'POST' && !fromOutbox(request) && url.origin === self.location.origin && url.pathname === '/api/v1/files',
  async ({ request }) => {
    const copy = request.clone()
    try {
      return await fetch(request)
    } catch (e) {
      const blob = await copy.blob()
      const typed = blob.type ? blob : new Blob([blob], { type: copy.headers.get('Content-Type') ?? 'application/octet-stream' })
      const meta = (await readExif(typed).catch(() => null)) as Record<string, unknown> | null
      const id = await keepFile(local(), typed, meta).catch(() => null)
      if (!id) throw e
      const body = { id, size: typed.size, content_type: typed.type, meta: {}, created_at: new Date().toISOString(), local: true }
      return new Response(JSON.stringify(body), { status: 201, headers: { 'Content-Type': 'application/json', 'X-SafeLoop-Local': '1' } })
    }
  },
  'POST',
)

self.addEventListener('install', () => {
  void self.skipWaiting()
})
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim())
})
