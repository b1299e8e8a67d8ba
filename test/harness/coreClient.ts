// The real core without a browser: createCore with the harness's test ports, called through the
// same dispatch the bridge uses (so input validation and error mapping are exercised too).
import './node22';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BridgeError, MethodInput, MethodName, MethodOutput } from '../../src-preload/contract';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/createCore';
import type { Clock, MediaWorkerLauncher } from '../../src-main/core/ports';
import { createTestPorts, type TestPortControls } from './testPorts';

export const testAppOrigin = 'http://127.0.0.1:1';

export class BridgeCallError extends Error {
  constructor(readonly error: BridgeError) {
    super(`${error.code}: ${error.message}`);
  }
  get code() {
    return this.error.code;
  }
}

export interface CoreClient extends Omit<TestPortControls, 'ports'> {
  core: Core;
  dataDir: string;
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Every bridge response, serialized, for secret scans. */
  traffic: string[];
  close(): void;
}

export async function startCore(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    fetch?: typeof globalThis.fetch;
    clock?: Clock;
    httpTimeoutMs?: number;
    /** The test's own fixture servers, exempt from the address policy (see CoreOptions). */
    allowPrivateAddressesFor?: string[];
    publicWeb?: CoreOptions['publicWeb'];
    /** Images and videos read in a worker process, as the app reads them (in this process by default). */
    mediaWorker?: MediaWorkerLauncher;
  } = {},
): Promise<CoreClient> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-core-'));
  const env = { ...process.env, ...options.env };
  const { ports, ...controls } = createTestPorts(dataDir, env, options.clock ? { clock: options.clock } : {});
  if (options.fetch) ports.fetch = options.fetch;
  if (options.mediaWorker) ports.mediaWorker = options.mediaWorker;
  const core = await createCore({
    dataDir,
    ports,
    appOrigin: testAppOrigin,
    version: 'test',
    env,
    ...(options.httpTimeoutMs ? { httpTimeoutMs: options.httpTimeoutMs } : {}),
    ...(options.allowPrivateAddressesFor ? { allowPrivateAddressesFor: options.allowPrivateAddressesFor } : {}),
    ...(options.publicWeb ? { publicWeb: options.publicWeb } : {}),
  });
  const traffic: string[] = [];
  core.onEvent((event, payload) => traffic.push(JSON.stringify({ event, payload })));
  return {
    ...controls,
    core,
    dataDir,
    traffic,
    async call(method, input) {
      const result = await core.dispatch(method, input, `${testAppOrigin}/index.html`);
      traffic.push(JSON.stringify(result));
      if (!result.ok) throw new BridgeCallError(result.error);
      return result.value as never;
    },
    close: () => core.close(),
  };
}
