// The service worker (src/mobile/sw.ts) precaches the mobile shell so the app opens without network,
// and answers the API's reads from the phone's local view when the network is gone.
// Service workers need a secure context: https, or localhost.
// Also starts the offline outbox's background sync (lazily, after the first screen).
export function registerServiceWorker() {
  void import('./sync/start').then((m) => m.startMobileSync()).catch(() => undefined)
  if (!('serviceWorker' in navigator) || !window.isSecureContext || import.meta.env.DEV) return
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/m/' }).catch(() => {
      // An app that works without offline support is better than one that fails to start.
    })
  }
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register)
}
