/// <reference lib="webworker" />
// Service worker of the mobile app: precaches the mobile shell (the list is built by vite.config.ts
// from the mobile entry only), answers /m/* navigations with the cached mobile.html, and leaves
// /api alone (offline data is the sync module's job, not the cache's).
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'

declare const self: ServiceWorkerGlobalScope

precacheAndRoute(self.__WB_MANIFEST)
cleanupOutdatedCaches()
registerRoute(new NavigationRoute(createHandlerBoundToURL('/mobile.html'), { allowlist: [/^\/m(\/|$)/] }))

self.addEventListener('install', () => {
  void self.skipWaiting()
})
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim())
})
