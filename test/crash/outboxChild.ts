// The process the crash test kills: the real core on a data folder, publishing to the real PDS,
// the Mastodon, LinkedIn, Pinterest, X, TikTok, YouTube, Threads, Facebook and Instagram contract
// mocks and the S3 server that the parent runs. Modes (argv[2]):
//   setup   save the developer apps and the media storage, connect the Bluesky, Mastodon,
//           LinkedIn, Pinterest, X, TikTok, YouTube, Threads and Facebook accounts (the Facebook
//           sign-in brings the Instagram account linked to its Page), then exit
//   publish queue posts one after another, by turns one with an image (a pin needs one) to every
//           account but TikTok's and YouTube's and one with a video to the accounts that take video
//           ("… video <n>", YouTube's title too), the
//           first of the kind LOCALPOST_CRASH_FIRST names (image unless it says video), each
//           "queued <text>" line printed only after the post is committed to the outbox, while
//           the outbox sends them, until killed
//   settle  start again, let the outbox finish everything it can by itself, print a
//           "user-decides <platform> <text>" line for each target left to the user, then
//           "settled", and exit
// Configuration comes in LOCALPOST_CRASH_* variables (see crashTrials.ts).
import '../harness/node22';
import type { MethodInput } from '../../src-preload/contract';
import { startCore, type CoreClient } from '../harness/coreClient';
import { playBrowser } from '../harness/oauthServer';
import { emptyTikTokFields } from '../../src-shared/tiktok';
import { smallPng } from '../fixtures/images';

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
// The media storage's S3 server is on loopback, as a MinIO on the user's machine would be.
const app = await startCore({ dataDir, env, allowPrivateAddressesFor: JSON.parse(process.env.LOCALPOST_CRASH_PRIVATE_ORIGINS ?? '[]') as string[] });

/** accounts.connect through the consent page, played as the system browser. */
async function connectInBrowser(client: CoreClient, input: MethodInput<'accounts.connect'>) {
  const opened = client.openedUrls.length;
  const pending = client.call('accounts.connect', input);
  while (client.openedUrls.length === opened) await new Promise((resolve) => setTimeout(resolve, 10));
  await playBrowser(client.openedUrls[opened]!);
  await pending;
}

if (mode === 'setup') {
  const bluesky = JSON.parse(process.env.LOCALPOST_CRASH_BLUESKY!) as { handle: string; appPassword: string; service: string };
  const developerApps = JSON.parse(process.env.LOCALPOST_CRASH_DEVELOPER_APPS!) as Array<{
    platform: 'linkedin' | 'pinterest' | 'x' | 'tiktok' | 'youtube';
    clientId: string;
    clientSecret: string;
    redirectPort: number;
  }>;
  await app.call('accounts.connect', { platform: 'bluesky', ...bluesky, confirm: ['private_address'] });
  await connectInBrowser(app, { platform: 'mastodon', instance: 'social.example', confirm: ['private_address'] });
  for (const developerApp of developerApps) {
    await app.call('developerApps.save', developerApp);
    await connectInBrowser(app, { platform: developerApp.platform });
  }
  // Meta redirects only to https: the user pastes the address the browser landed on.
  const metaApps = JSON.parse(process.env.LOCALPOST_CRASH_META_APPS!) as Array<{ platform: 'threads' | 'facebook'; clientId: string; clientSecret: string; redirectPort: number }>;
  for (const metaApp of metaApps) {
    await app.call('developerApps.save', metaApp);
    const opened = app.openedUrls.length;
    const connecting = app.call('accounts.connect', { platform: metaApp.platform });
    while (app.openedUrls.length === opened) await new Promise((resolve) => setTimeout(resolve, 10));
    const { callbackUrl } = await playBrowser(app.openedUrls[opened]!, { deliver: false });
    await app.call('accounts.completeSignIn', { pastedUrl: callbackUrl });
    await connecting;
  }
  await app.call('mediaStorage.save', JSON.parse(process.env.LOCALPOST_CRASH_MEDIA_STORAGE!) as MethodInput<'mediaStorage.save'>);
  console.log('ready');
  app.close();
  process.exit(0);
}

if (mode === 'publish') {
  const trial = process.env.LOCALPOST_CRASH_TRIAL ?? '0';
  const accounts = await app.call('accounts.list', {});
  // TikTok and YouTube take a video and nothing else: only the video posts go there.
  const accountIds = accounts.filter((account) => account.platform !== 'tiktok' && account.platform !== 'youtube').map((account) => account.id);
  // Each Pinterest account pins to its first board (the list is asked once, then kept).
  const boards: Record<string, string> = {};
  for (const account of accounts.filter((a) => a.platform === 'pinterest')) {
    boards[account.id] = (await app.call('boards.list', { accountId: account.id, refresh: false })).boards[0]!.id;
  }
  // TikTok's audience is chosen among what creator_info offers, as the composer asks.
  const tiktok = { ...emptyTikTokFields };
  for (const account of accounts.filter((a) => a.platform === 'tiktok')) {
    tiktok.creators = { ...tiktok.creators, [account.id]: await app.call('creatorInfo.get', { accountId: account.id }) };
    tiktok.privacy = { ...tiktok.privacy, [account.id]: 'SELF_ONLY' };
  }
  const platformOptions = { pinterest: { boards, title: '', link: '' }, tiktok };
  const image = new Uint8Array(await smallPng(120, 80));
  const video = JSON.parse(process.env.LOCALPOST_CRASH_VIDEO!) as { file: string; platforms: string[] };
  const videoAccountIds = accounts.filter((account) => video.platforms.includes(account.platform)).map((account) => account.id);
  for (let n = 0; ; n++) {
    const withVideo = (n + (process.env.LOCALPOST_CRASH_FIRST === 'video' ? 0 : 1)) % 2 === 0;
    const text = `crash trial ${trial} ${withVideo ? 'video' : 'post'} ${n}`;
    const draft = await app.call('drafts.create', {});
    // YouTube's fields: the text as the title, and the made-for-kids answer it requires.
    const youtube = { title: text, privacy: 'private' as const, madeForKids: false, categoryId: '22', tags: [], publishAt: '' };
    await app.call('drafts.save', {
      id: draft.id,
      text,
      targetAccountIds: withVideo ? videoAccountIds : accountIds,
      langs: ['en'],
      platformOptions: { ...platformOptions, youtube },
    });
    if (withVideo) {
      app.answerFileDialog(video.file);
      await app.call('drafts.addVideo', { draftId: draft.id });
    } else {
      const added = await app.call('drafts.addImage', { draftId: draft.id, fileName: 'crash.png', bytes: image });
      await app.call('drafts.setImageAlt', { draftId: draft.id, imageId: added.id, alt: 'A small blue rectangle' });
    }
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
  // A target the outbox hands to the user: unknown, with no lookup planned.
  const forUser = (target: { status: string; error: unknown; nextAttemptAt: number | null }) => target.status === 'unknown' && target.error && !target.nextAttemptAt;
  const open = async () => (await app.call('outbox.list', {})).flatMap((post) => post.targets.map((target) => ({ post, target })));
  for (let i = 0; i < 600; i++) {
    await app.core.outbox.idle();
    const left = (await open()).filter(({ target }) => !['published', 'failed_permanent', 'cancelled'].includes(target.status));
    if (left.every(({ target }) => forUser(target))) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const left = (await open()).filter(({ target }) => !['published', 'failed_permanent', 'cancelled'].includes(target.status));
  for (const { post, target } of left.filter(({ target }) => forUser(target))) console.log(`user-decides ${target.platform} ${post.text}`);
  // What waits for the user stays in the outbox; anything else still open is a failure.
  const unsettled = left.filter(({ target }) => !forUser(target));
  console.log(unsettled.length === 0 ? 'settled' : `unsettled ${JSON.stringify(unsettled)}`);
  app.close();
  process.exit(0);
}
