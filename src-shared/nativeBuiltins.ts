// Stands in for core-js 2's polyfills wherever twitter-text is bundled (electron.vite.config.ts
// aliases every `core-js/modules/…` import to this module). twitter-text imports them for
// JavaScript engines without ES2015 (Array.from, Symbol, RegExp's Symbol.replace,
// Object.assign…); the Chromium and the Node that Electron ships have every one natively, so they
// only made the renderer's first script larger, and the core some 10 MB larger once it counted a
// post for X, while replacing built-ins both already had.
export {};
