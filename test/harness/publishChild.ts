// A process that publishes one draft with the real core and keeps going until it is killed: for
// tests that cut an upload off the way a crash or a power cut would (SIGKILL, mid-request), then
// start a fresh core over the same data folder. Configuration in LOCALPOST_PUBLISH_CHILD_* variables:
// DATA_DIR (the folder), ENV (JSON of the core's environment), DRAFT_ID.
import './node22';
import { startCore } from './coreClient';

const dataDir = process.env.LOCALPOST_PUBLISH_CHILD_DATA_DIR!;
const env = JSON.parse(process.env.LOCALPOST_PUBLISH_CHILD_ENV ?? '{}') as Record<string, string>;
// If the test that started this process dies, so does this one.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(3);
  }
}, 500);
const app = await startCore({ dataDir, env });
await app.call('publish.now', { draftId: process.env.LOCALPOST_PUBLISH_CHILD_DRAFT_ID! });
console.log('queued');
