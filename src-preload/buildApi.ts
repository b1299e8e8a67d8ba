// Builds the object the preload exposes as `window.localpost`, from the contract's names alone: one
// function per method (`api.accounts.connect(input)` invokes the channel
// 'accounts.connect') and `on(event, listener)` for the contract's events only. Never a
// raw ipcRenderer, a generic invoke, or the IpcRendererEvent (Electron security checklist 20).
//
// Runtime: preload, but pure: no electron import, so it is tested in plain Node.
import { eventNames, methodNames, methodPath, type EventName, type MethodName } from './channels';
import type { Api, Result } from './contract';

/** The three ipcRenderer calls the bridge needs, typed loosely so any ipcRenderer fits. */
export interface BridgeTransport {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export class UnknownBridgeEventError extends Error {
  override name = 'UnknownBridgeEventError';
}

/**
 * Where a file the user dropped on the page is on disk: Electron's webUtils.getPathForFile in the
 * preload (Electron 32 removed File.path), '' for a File the page made itself. Absent where there
 * is no disk behind the page (the Chromium tests' bridge).
 */
export type PathForFile = (file: File) => string;

export function buildApi(transport: BridgeTransport, pathForFile?: PathForFile): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of methodNames) {
    const [group, member] = methodPath(method);
    (api[group] ??= {})[member] = method === 'drafts.addVideoFile' ? droppedVideoCaller(transport, pathForFile) : callerFor(method, transport);
  }
  return { ...api, on: subscriberFor(transport) } as unknown as Api;
}

const noPathForFile: Result<unknown> = {
  ok: false,
  error: {
    code: 'media_unsupported',
    message: 'Localpost cannot find that dropped video on the disk.',
    action: 'Add the video with Add video instead.',
  },
};

/**
 * `drafts.addVideoFile`: the page hands over the dropped File and the preload sends its path, so
 * the page can never name a file itself (a File it built has no path and goes no further). The
 * video's bytes never cross: the core copies it from the disk.
 */
function droppedVideoCaller(transport: BridgeTransport, pathForFile: PathForFile | undefined) {
  const send = callerFor('drafts.addVideoFile', transport);
  return async function addDroppedVideo(input: unknown): Promise<Result<unknown>> {
    const { draftId, file } = (input ?? {}) as { draftId?: unknown; file?: unknown };
    let path = '';
    try {
      path = pathForFile && file !== undefined ? pathForFile(file as File) : '';
    } catch {
      // Electron throws for anything that is not a File: the same answer as a File with no path.
    }
    if (typeof path !== 'string' || path === '') return noPathForFile;
    return send({ draftId, path });
  };
}

function callerFor(method: MethodName, transport: BridgeTransport) {
  return async function callMain(input: unknown): Promise<Result<unknown>> {
    try {
      return (await transport.invoke(method, input)) as Result<unknown>;
    } catch {
      // Main always answers with a Result; a rejection means the channel itself failed (no
      // handler yet, main gone). The page gets the same error shape, never an exception.
      return { ok: false, error: { code: 'internal', message: 'Localpost could not reach its core.' } };
    }
  };
}

function subscriberFor(transport: BridgeTransport) {
  return function on(event: EventName, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !(eventNames as readonly string[]).includes(event)) {
      throw new UnknownBridgeEventError(`Not a Localpost event: ${String(event)}`);
    }
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function');
    function deliverPayload(_ipcEvent: unknown, payload: unknown): void {
      // The IpcRendererEvent stays here: it carries `sender`, an ipcRenderer (checklist 20).
      listener(payload);
    }
    transport.on(event, deliverPayload);
    return function unsubscribe() {
      transport.removeListener(event, deliverPayload);
    };
  };
}
