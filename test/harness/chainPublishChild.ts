// A process that publishes one draft's reply chain with the real core and stops dead in the middle
// of it, to be killed (SIGKILL) there: for tests of a crash mid-thread. Its fetch lets the first
// HOLD_AT - 1 POST requests whose address contains HOLD_PATH (default the PDS's
// com.atproto.repo.createRecord) through, and the HOLD_AT-th one either never leaves (HOLD=before)
// or reaches the platform, which makes the post, while its answer never comes back (HOLD=after);
// it prints `held` then. With HOLD=none it holds nothing, for a test that kills it at a moment of
// its own choosing. Configuration in LOCALPOST_CHAIN_CHILD_* variables: DATA_DIR, DRAFT_ID,
// HOLD_AT, HOLD, HOLD_PATH, ENV (JSON of the core's environment), PRIVATE_ORIGINS (JSON).
import './node22';
import { startCore } from './coreClient';

const dataDir = process.env.LOCALPOST_CHAIN_CHILD_DATA_DIR!;
const holdAt = Number(process.env.LOCALPOST_CHAIN_CHILD_HOLD_AT ?? 2);
const hold = (['before', 'none'] as const).find((value) => value === process.env.LOCALPOST_CHAIN_CHILD_HOLD) ?? 'after';
const holdPath = process.env.LOCALPOST_CHAIN_CHILD_HOLD_PATH ?? '/xrpc/com.atproto.repo.createRecord';
const env = JSON.parse(process.env.LOCALPOST_CHAIN_CHILD_ENV ?? '{}') as Record<string, string>;
const privateOrigins = JSON.parse(process.env.LOCALPOST_CHAIN_CHILD_PRIVATE_ORIGINS ?? '[]') as string[];
// If the test that started this process dies, so does this one.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(3);
  }
}, 500);

let creates = 0;
const never = new Promise<Response>(() => {});
const held: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const method = (input instanceof Request ? input.method : init?.method) ?? 'GET';
  if (method !== 'POST' || !url.includes(holdPath) || ++creates < holdAt) return fetch(input, init);
  if (hold === 'after') {
    const answer = await fetch(input, init);
    await answer.arrayBuffer();
  }
  console.log('held');
  return never;
};

const app = await startCore({ dataDir, env, allowPrivateAddressesFor: privateOrigins, ...(hold === 'none' ? {} : { fetch: held }) });
await app.call('publish.now', { draftId: process.env.LOCALPOST_CHAIN_CHILD_DRAFT_ID! });
