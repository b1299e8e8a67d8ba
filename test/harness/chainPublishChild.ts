// A process that publishes one draft's reply chain with the real core and stops dead in the middle
// of it, to be killed (SIGKILL) there: for tests of a crash mid-thread. Its fetch lets the first
// HOLD_AT - 1 requests to the PDS's com.atproto.repo.createRecord through, and the HOLD_AT-th one
// either never leaves (HOLD=before) or reaches the PDS, which writes the record, while its answer
// never comes back (HOLD=after); it prints `held` then. Configuration in
// LOCALPOST_CHAIN_CHILD_* variables: DATA_DIR, DRAFT_ID, HOLD_AT, HOLD.
import './node22';
import { startCore } from './coreClient';

const dataDir = process.env.LOCALPOST_CHAIN_CHILD_DATA_DIR!;
const holdAt = Number(process.env.LOCALPOST_CHAIN_CHILD_HOLD_AT ?? 2);
const hold = process.env.LOCALPOST_CHAIN_CHILD_HOLD === 'before' ? 'before' : 'after';
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
  if (!url.includes('/xrpc/com.atproto.repo.createRecord') || ++creates < holdAt) return fetch(input, init);
  if (hold === 'after') {
    const answer = await fetch(input, init);
    await answer.arrayBuffer();
  }
  console.log('held');
  return never;
};

const app = await startCore({ dataDir, fetch: held });
await app.call('publish.now', { draftId: process.env.LOCALPOST_CHAIN_CHILD_DRAFT_ID! });
