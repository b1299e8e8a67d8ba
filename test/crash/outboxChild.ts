// The process the crash test kills: the real core on a data folder, publishing to the real PDS and
// the Mastodon contract mock that the parent runs. Modes (argv[2]):
//   setup   connect the Bluesky and Mastodon accounts, then exit
//   publish queue posts one after another (each "queued <text>" line is printed only after the
//           post is committed to the outbox) while the outbox sends them, until killed
//   settle  start again, let the outbox finish everything, print "settled", exit
// Configuration comes in LOCALPOST_CRASH_* variables (see crashTrials.ts).
import '../harness/node22';
import { startCore } from '../harness/coreClient';
import { playBrowser } from '../harness/oauthServer';

const mode = process.argv[2];
// If the test that started this process dies, so does this one (it would post forever otherwise).
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(3);
  }
}, 500).unref();
const dataDir = process.env.LOCALPOST_CRASH_DATA_DIR!;
const env = JSON.parse(process.env.LOCALPOST_CRASH_ENV ?? '{}') as Record<string, string>;
const app = await startCore({ dataDir, env });

if (mode === 'setup') {
  const bluesky = JSON.parse(process.env.LOCALPOST_CRASH_BLUESKY!) as { handle: string; appPassword: string; service: string };
  await app.call('accounts.connect', { platform: 'bluesky', ...bluesky, confirm: ['private_address'] });
  const pending = app.call('accounts.connect', { platform: 'mastodon', instance: 'social.example', confirm: ['private_address'] });
  while (app.openedUrls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await playBrowser(app.openedUrls[0]!);
  await pending;
  console.log('ready');
  app.close();
  process.exit(0);
}

if (mode === 'publish') {
  const trial = process.env.LOCALPOST_CRASH_TRIAL ?? '0';
  const accountIds = (await app.call('accounts.list', {})).map((account) => account.id);
  for (let n = 0; ; n++) {
    const text = `crash trial ${trial} post ${n}`;
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text, targetAccountIds: accountIds, langs: ['en'] });
    // publish.now returns after the first attempts; the post is in the outbox as soon as the
    // draft is gone (the same transaction), which is when it counts as acknowledged.
    let refused: unknown;
    const publishing = app.call('publish.now', { draftId: draft.id }).catch((error: unknown) => void (refused = error));
    while (!refused && (await app.call('drafts.list', {})).some((d) => d.id === draft.id)) await new Promise((resolve) => setTimeout(resolve, 1));
    if (refused) {
      console.error(`publish refused: ${String(refused)}`);
      process.exit(2);
    }
    console.log(`queued ${text}`);
    await publishing;
  }
}

if (mode === 'settle') {
  for (let i = 0; i < 600; i++) {
    await app.core.outbox.idle();
    const open = await app.call('outbox.list', {});
    if (open.length === 0) break;
    const stuck = open.flatMap((post) => post.targets).filter((t) => t.status === 'unknown' && t.error && !t.nextAttemptAt);
    if (stuck.length > 0) {
      console.log(`needs-user ${JSON.stringify(stuck)}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const left = await app.call('outbox.list', {});
  console.log(left.length === 0 ? 'settled' : `unsettled ${JSON.stringify(left)}`);
  app.close();
  process.exit(0);
}
