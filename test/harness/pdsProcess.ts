/**
 * The local PDS in a process of its own, for benchmarks. A real PDS runs on another machine: its
 * CPU is not the client's. In one process the PDS and the code under test take turns on one
 * thread, so a benchmark of the client would time the server's work as the client's. Its data
 * goes on a RAM disk where there is one (/dev/shm), as a test server's may: a PDS's fsyncs are
 * the server's cost too. The code under test keeps its own data on disk, fsyncs and all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestPds } from './pds';

export type PdsProcess = Pick<TestPds, 'url' | 'plcUrl' | 'createAccount' | 'close'>;

type Reply = { id: number; result?: unknown; error?: string };

export async function startPdsProcess(): Promise<PdsProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(path.dirname(fileURLToPath(import.meta.url)), 'pdsChild.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LOCALPOST_PDS_DATA_ROOT: fs.existsSync('/dev/shm') ? '/dev/shm' : '' },
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the PDS process exited (${code})`))));
  exited.catch(() => {});
  child.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
    else waiter?.resolve(reply.result);
  });
  const call = (method: string, ...args: unknown[]) =>
    Promise.race([
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, method, args });
      }),
      exited,
    ]);
  const url = (await call('url')) as string;
  const plcUrl = (await call('plcUrl')) as string;
  // As startPds does in its own process: cores started here resolve DIDs at the child's PLC.
  process.env.LOCALPOST_PLC_URL = plcUrl;
  return {
    url,
    plcUrl,
    createAccount: (name) => call('createAccount', name) as ReturnType<TestPds['createAccount']>,
    async close() {
      await call('close');
      await stopped(child);
    },
  };
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}
