// The bridge's `app.*` group: what the renderer needs to know about the app and this computer.
import type { HandlersFor } from '../bridge/dispatch';
import type { CorePorts } from '../ports';

export function createAppHandlers(deps: { version: string; ports: Pick<CorePorts, 'locale' | 'timeZone'> }): HandlersFor<'app'> {
  return {
    'app.info': () => ({ version: deps.version, locale: deps.ports.locale, timeZone: deps.ports.timeZone }),
  };
}
