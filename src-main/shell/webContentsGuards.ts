// Guards every web contents the app ever creates, installed once before the first window:
// no navigation away from the app, no new windows, no <webview>, no permissions. Registered on
// `web-contents-created` so a window or frame added later cannot be forgotten (checklist 14).
//
// Runtime: main (shell).
import { app, session } from 'electron';
import type { Event, HandlerDetails, Session, WebContents, WebContentsWillNavigateEventParams, WindowOpenHandlerResponse } from 'electron';
import type { UrlOpener } from '../core/ports';
import { isAppUrl } from './appAddress';
import { isOpenableExternally, schemeOf } from './externalLinks';

export interface WebContentsGuardOptions {
  /** Opens https links the page tries to open in a new window in the system browser. */
  urlOpener: UrlOpener;
  /** Told about refusals worth knowing about (never with the full URL: it may carry a secret). */
  onRefused(what: string, fields: Record<string, unknown>): void;
}

export function installWebContentsGuards(options: WebContentsGuardOptions): void {
  app.on('web-contents-created', function guardNewWebContents(_event: Event, contents: WebContents) {
    guardWebContents(contents, options);
  });
}

export function guardWebContents(contents: WebContents, options: WebContentsGuardOptions): void {
  // Checklist 13: the page stays on the app's origin; anything else is refused, not followed.
  contents.on('will-navigate', function refuseForeignNavigation(event: Event<WebContentsWillNavigateEventParams>) {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    options.onRefused('navigation', { scheme: schemeOf(event.url) });
  });

  // Checklist 14: no new Electron windows, ever. A link meant for a new window is an https link
  // to the outside world, so the system browser gets it (checklist 15 applies there).
  contents.setWindowOpenHandler(function denyNewWindow(details: HandlerDetails): WindowOpenHandlerResponse {
    if (isOpenableExternally(details.url)) {
      options.urlOpener.open(details.url).catch(function reportOpenFailure(error: unknown) {
        options.onRefused('external link', { error });
      });
    } else {
      options.onRefused('new window', { scheme: schemeOf(details.url) });
    }
    return { action: 'deny' };
  });

  // Checklist 11 and 12: webviewTag is off; refuse the attach too, as defence in depth.
  contents.on('will-attach-webview', function refuseWebview(event: Event) {
    event.preventDefault();
    options.onRefused('webview', {});
  });

  denyAllPermissions(contents.session);
}

const guardedSessions = new WeakSet<Session>();

/**
 * Checklist 5: Electron approves every permission request by default. Localpost needs none
 * (no camera, notifications come from main, links open through main), so both the request and
 * the check handler say no to everything.
 */
export function denyAllPermissions(target: Session): void {
  if (guardedSessions.has(target)) return;
  guardedSessions.add(target);
  target.setPermissionRequestHandler(function denyPermissionRequest(_contents, _permission, callback) {
    callback(false);
  });
  target.setPermissionCheckHandler(function denyPermissionCheck() {
    return false;
  });
}

/** The default session exists only after ready; guard it before the first window opens. */
export function denyAllPermissionsInDefaultSession(): void {
  denyAllPermissions(session.defaultSession);
}
