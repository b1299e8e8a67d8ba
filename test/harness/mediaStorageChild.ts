// A process that publishes one file to the user's bucket with the real core and keeps going until it
// is killed: for tests that cut it off the way a crash would (SIGKILL, mid-upload or between the
// upload and its delete), then start a fresh core over the same data folder. Configuration in
// LOCALPOST_MEDIA_CHILD_* variables: DATA_DIR (the folder, with the bucket saved), FILE (the path),
// MIME. Prints `published <key>` once the object is in the bucket.
import './node22';
import fs from 'node:fs';
import { startCore } from './coreClient';

const dataDir = process.env.LOCALPOST_MEDIA_CHILD_DATA_DIR!;
const file = process.env.LOCALPOST_MEDIA_CHILD_FILE!;
// If the test that started this process dies, so does this one.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(3);
  }
}, 500);
const app = await startCore({ dataDir });
const published = await app.core.mediaStorage.publish({ path: file, size: fs.statSync(file).size, mime: process.env.LOCALPOST_MEDIA_CHILD_MIME ?? 'video/mp4' });
console.log(`published ${published.key}`);
