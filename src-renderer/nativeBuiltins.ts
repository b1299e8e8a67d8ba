// Stands in for core-js 2's polyfills in the renderer build (electron.vite.config.ts aliases every
// `core-js/modules/…` import to this module). twitter-text imports them for browsers without
// ES2015 (Array.from, Symbol, RegExp's Symbol.replace, Object.assign…); the Chromium Electron
// ships has every one natively, so they only made the page's first script larger and replaced
// built-ins the page already had.
export {};
