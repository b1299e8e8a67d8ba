// Threads' registration: the Meta app's Threads use case (saved in Settings), its https loopback
// redirect, the long-lived token renewed by exchanging it (threadsTokenPolicy.renew).
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { ThreadsAdapter, threadsTokenPolicy } from './threadsAdapter';

export const threadsModule = {
  id: 'threads',
  oauth: { tokenPolicy: threadsTokenPolicy },
  create(ctx) {
    const deps = {
      ...ctx.developerAppDeps('threads'),
      mediaStorage: ctx.mediaStorage,
      // Tests shorten the wait between container status reads (LOCALPOST_THREADS_STATUS_POLL_MS).
      ...(Number(ctx.env.LOCALPOST_THREADS_STATUS_POLL_MS) > 0 ? { statusPollDelayMs: Number(ctx.env.LOCALPOST_THREADS_STATUS_POLL_MS) } : {}),
    };
    const adapter = new ThreadsAdapter(deps);
    return { adapter, ...connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn()) };
  },
} satisfies PlatformModule<'threads'>;
