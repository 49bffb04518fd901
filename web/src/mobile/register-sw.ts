// The service worker (src/mobile/sw.ts) precaches the mobile shell so the app opens without network.
// Service workers need a secure context: https, or localhost.
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext || import.meta.env.DEV) return
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/m/' }).catch(() => {
      // An app that works without offline support is better than one that fails to start.
    })
  })
}
