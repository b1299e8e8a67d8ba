// One Localpost at a time, and `localpost://` links routed to it. The OS hands a deep link to a
// new process (Windows, Linux: in argv, which reaches the running instance as `second-instance`)
// or to the running one (macOS: `open-url`). Any web page can open such a link, so a link is
// only parsed here and handed on; whoever consumes it (the OAuth flow) must accept only what it
// is waiting for (Electronegativity's PROTOCOL_HANDLER_JS_CHECK).
//
// Runtime: main (shell).
import { app } from 'electron';
import type { BrowserWindow, Event } from 'electron';
import path from 'node:path';

export const deepLinkScheme = 'localpost';

/** Receives each `localpost://` link the OS delivered, parsed. */
export type DeepLinkSink = (link: URL) => void;

export interface DeepLinkReceiver {
  /** Starts delivering, first the links that arrived before the app was ready. */
  deliverTo(sink: DeepLinkSink): void;
}

/** Returns false when another instance holds the lock; this one then quits. */
export function claimSingleInstance(): boolean {
  const obtained = app.requestSingleInstanceLock();
  if (!obtained) app.quit();
  return obtained;
}

/**
 * Makes the OS send `localpost://` links to this app. Started as `electron .` (a development
 * run), the OS must launch Electron with the app's folder as argument (Electron deep-link docs).
 */
export function registerAsDeepLinkHandler(): boolean {
  if (process.defaultApp && process.argv[1]) {
    return app.setAsDefaultProtocolClient(deepLinkScheme, process.execPath, [path.resolve(process.argv[1])]);
  }
  return app.setAsDefaultProtocolClient(deepLinkScheme);
}

// A deep link is a short redirect; anything longer is not ours.
const maxDeepLinkLength = 4096;

export function parseDeepLink(candidate: string): URL | null {
  if (candidate.length > maxDeepLinkLength) return null;
  try {
    const link = new URL(candidate);
    return link.protocol === `${deepLinkScheme}:` ? link : null;
  } catch {
    return null;
  }
}

/** Chromium adds its own switches to argv, so the link can be anywhere in it. */
export function deepLinkFromArgv(argv: readonly string[]): URL | null {
  for (const argument of argv) {
    const link = parseDeepLink(argument);
    if (link) return link;
  }
  return null;
}

// Links that arrive before the sink is attached wait here; a flood of them is cut short.
const maxPendingLinks = 16;

/**
 * Listens for deep links from the start (macOS sends `open-url` before `ready`, and a cold start
 * on Windows or Linux carries the link in this process's own argv). Also brings the existing
 * window to the front when a second instance is started.
 */
export function receiveDeepLinks(options: {
  initialArgv: readonly string[];
  currentWindow(): BrowserWindow | null;
}): DeepLinkReceiver {
  const pending: URL[] = [];
  let sink: DeepLinkSink | null = null;

  function accept(link: URL): void {
    if (sink) sink(link);
    else if (pending.length < maxPendingLinks) pending.push(link);
  }

  const coldStartLink = deepLinkFromArgv(options.initialArgv);
  if (coldStartLink) accept(coldStartLink);

  app.on('second-instance', function focusAndTakeDeepLink(_event: Event, argv: string[]) {
    bringToFront(options.currentWindow());
    const link = deepLinkFromArgv(argv);
    if (link) accept(link);
  });

  app.on('open-url', function takeDeepLinkFromOs(event: Event, url: string) {
    // Tells macOS the app handled the URL itself.
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) accept(link);
  });

  return {
    deliverTo(target: DeepLinkSink): void {
      sink = target;
      for (const link of pending.splice(0)) target(link);
    },
  };
}

function bringToFront(window: BrowserWindow | null): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
