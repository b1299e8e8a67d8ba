// The renderer's Content-Security-Policy, one string for the Electron protocol handler, the
// test harness's server and the index.html meta tag: only the app's own scripts and styles, no
// eval, no remote code, images only from the app and data: previews, no frames and no workers,
// which the app has none of (checklist 7).
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
