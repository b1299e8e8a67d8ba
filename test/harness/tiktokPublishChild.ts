// The process the TikTok restart test kills mid-upload: the real core on the test's data folder,
// publishing one draft (argv[2]) to the TikTok mock the parent runs, until it is killed.
// Configuration: LOCALPOST_TIKTOK_CHILD_DATA_DIR and LOCALPOST_TIKTOK_CHILD_ENV (the mock's env).
import './node22';
import { startCore } from './coreClient';

const parent = process.ppid;
// If the test that started this process dies, so does this one.
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(3);
  }
}, 500).unref();

const app = await startCore({
  dataDir: process.env.LOCALPOST_TIKTOK_CHILD_DATA_DIR!,
  env: JSON.parse(process.env.LOCALPOST_TIKTOK_CHILD_ENV ?? '{}') as Record<string, string>,
});
void app.call('publish.now', { draftId: process.argv[2]! }).catch((error: unknown) => console.error(String(error)));
console.log('publishing');
