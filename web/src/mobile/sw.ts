/// <reference lib="webworker" />
// Service worker of the mobile app:
//  * precaches the mobile shell (the list is built by vite.config.ts from the mobile entry only) and
//    answers /m/* navigations with the cached mobile.html, so a reload without network opens the app;
//  * API reads go to the network first; when there is no network they are answered from the phone's
//    local view in IndexedDB (the same Dexie database the outbox keeps): GET /me, /hazards,
//    /hazards/{id}, /hazards/settings and /files/{sha}[/thumbnail] of photos taken on this phone.
//    Successful answers of /me, /hazards/{id} and /hazards/settings refresh that view;
//  * a photo or video uploaded with no network (POST /files, as every form's upload step does) is kept
//    in IndexedDB under its SHA-256 — the id the server will give it — and answered as stored, so the
//    form can be submitted offline; the outbox uploads the bytes before the record that names them.
//    Every other write goes through the outbox (src/lib/offline), never through here.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { OfflineDb, getMeta, setMeta } from '../lib/offline/db'
import { getLocalHazard, listLocalHazards, storeServerHazard, hasUnsynced } from '../lib/offline/localview'
import { keepFile } from '../lib/offline/keep'
import { readExif } from '../lib/offline/exif'

declare const self: ServiceWorkerGlobalScope

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()
registerRoute(new NavigationRoute(createHandlerBoundToURL('/mobile.html'), { allowlist: [/^\/m(\/|$)/] }))

let db: OfflineDb | null = null
const local = () => (db ??= new OfflineDb())

/** The outbox's own requests (src/lib/offline/files.ts): never answered from the phone. */
const fromOutbox = (request: Request) => request.headers.has('X-SafeLoop-Outbox')

const HAZARD = /^\/api\/v1\/hazards\/([0-9a-f-]{36})$/i
const FILE = /^\/api\/v1\/files\/([0-9a-f]{64})(\/thumbnail)?$/i

async function authKey(request: Request): Promise<string> {
  const auth = request.headers.get('Authorization') ?? ''
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(auth))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', 'X-SafeLoop-Local': '1' } })
}

async function remember(url: URL, request: Request, response: Response): Promise<void> {
  const path = url.pathname
  const d = local()
  if (path === '/api/v1/me') await setMeta(d, 'me_response', { auth: await authKey(request), body: await response.json() })
  else if (path === '/api/v1/hazards/settings') await setMeta(d, 'hazard_settings', await response.json())
  else {
    const m = HAZARD.exec(path)
    if (m && !(await hasUnsynced(d, m[1]!))) {
      const data = (await response.json()) as Record<string, unknown>
      await d.transaction('rw', d.hazards, d.outbox, () => storeServerHazard(d, data, new Date().toISOString()))
    }
  }
}

async function fromLocal(url: URL, request: Request): Promise<Response | null> {
  const path = url.pathname
  const d = local()
  if (path === '/api/v1/me') {
    const saved = await getMeta<{ auth: string; body: unknown }>(d, 'me_response')
    return saved && saved.auth === (await authKey(request)) ? json(saved.body) : null
  }
  if (path === '/api/v1/hazards/settings') {
    const s = await getMeta<unknown>(d, 'hazard_settings')
    return s ? json(s) : null
  }
  if (path === '/api/v1/hazards') return json(await listLocalHazards(d, url.searchParams))
  const h = HAZARD.exec(path)
  if (h) {
    const data = await getLocalHazard(d, h[1]!)
    return data ? json(data) : null
  }
  const f = FILE.exec(path)
  if (f) {
    const file = await d.files.get(f[1]!.toLowerCase())
    return file ? new Response(file.blob, { status: 200, headers: { 'Content-Type': file.content_type, 'X-SafeLoop-Local': '1' } }) : null
  }
  return null
}

const REMEMBERED = new Set(['/api/v1/me', '/api/v1/hazards/settings'])

registerRoute(
  ({ url, request }) => request.method === 'GET' && url.origin === self.location.origin && url.pathname.startsWith('/api/v1/'),
  async ({ url, request, event }) => {
    try {
      const response = await fetch(request)
      if (response.ok && (REMEMBERED.has(url.pathname) || HAZARD.test(url.pathname))) {
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
