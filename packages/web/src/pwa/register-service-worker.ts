/**
 * Registers the offline shell (public/sw.js) in production builds. The dev server serves modules that change on
 * every edit, which a cache would only get in the way of. The worker comes from our own origin, as the CSP requires.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined); // Without it the app still works online.
  });
}
