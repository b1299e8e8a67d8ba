// Publishing a large video: the outbox hands the adapter a path, and the multipart body streams
// the file from disk, so memory must stay flat whatever the size. A Telegram post through the real
// core to the contract mock (which hashes what arrives and keeps nothing), as to a local Bot API
// server (files up to 2000 MB; preflight's limit is raised to match for this run). Compared, in
// the same run, with a plain upload of the same request written by hand (http.request, the file
// piped into the socket). The file is sparse (test/fixtures/videos.ts largeMp4). The two take
// turns over five rounds, and their medians are compared: one upload of a few seconds against
// one other moves by more than the margin when the machine is busy for a moment.
// Goal: at least 90% of the plain upload's throughput, peak RSS growth under 100 MB for 1 GB.
//
//   npx tsx --expose-gc bench/video-upload-memory.ts     (BENCH_VIDEO_MB=1024 is the default)
import './asMainProcess';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { platformRules } from '../src-shared/platforms';
import { largeMp4, videoScratchDir } from '../test/fixtures/videos';
import { startCore } from '../test/harness/coreClient';
import { startWebhookPlatformMocks, telegramBotToken, telegramChat } from '../test/harness/webhookPlatformMocks';
import { median, met, reportBench } from './benchTable';
import { measureMemory } from './measureMemory';

const megabytes = Number(process.env.BENCH_VIDEO_MB ?? 1024);
const rounds = 5;
const size = megabytes * 1024 * 1024;
const localBotApiLimit = 2000 * 1024 * 1024;
platformRules.telegram.video!.maxBytes = localBotApiLimit;

const scratch = videoScratchDir();
const file = largeMp4(scratch, size, 'big.mp4');
const mocks = await startWebhookPlatformMocks({ telegramUploadLimit: localBotApiLimit });
const app = await startCore({ env: mocks.env });
const telegram = (await app.call('accounts.connect', { platform: 'telegram', botToken: telegramBotToken, chatId: String(telegramChat.id) })).account;

// A draft with the video for each publish, made before its clock starts (probe and copy into
// the data folder are bench/video-attach-memory.ts's business).
async function videoDraft(): Promise<string> {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: 'A big one', targetAccountIds: [telegram.id], langs: ['en'] });
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  if (added.outcome !== 'added') throw new Error('not added');
  return draft.id;
}

// The file read once, so every upload starts from a warm page cache.
const hash = crypto.createHash('sha256');
for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
const expected = hash.digest('hex');

// The baseline: the same request written by hand, the file piped straight into the socket.
const plainUpload = () => measureMemory(async () => {
  const boundary = 'plainbaseline';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n${telegramChat.id}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="video.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const target = new URL(`${mocks.env.LOCALPOST_TELEGRAM_API_BASE}/bot${telegramBotToken}/sendVideo`);
  const request = http.request(target, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
  });
  const answered = new Promise<void>((resolve, reject) => {
    request.on('response', (response) => response.resume().on('end', resolve));
    request.on('error', reject);
  });
  request.write(head);
  await pipeline(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), request, { end: false });
  request.end(tail);
  await answered;
});

const publishNow = (draftId: string) => measureMemory(async () => {
  const post = await app.call('publish.now', { draftId });
  if (post.targets[0]!.status !== 'published') throw new Error(`not published: ${JSON.stringify(post.targets[0])}`);
});

type Run = Awaited<ReturnType<typeof measureMemory>>;
const plainRuns: Run[] = [];
const publishedRuns: Run[] = [];
const receivedVideos: Array<{ sha256: string; size: number }> = [];
for (let round = 0; round < rounds; round++) {
  const draftId = await videoDraft();
  // Which goes first alternates, so neither always follows the other's copy on the disk.
  const turns = [async () => plainRuns.push(await plainUpload()), async () => publishedRuns.push(await publishNow(draftId))];
  if (round % 2 === 1) turns.reverse();
  for (const turn of turns) await turn();
  receivedVideos.push([...mocks.requests].reverse().find((r) => r.path.endsWith('/sendVideo'))!.body.video as { sha256: string; size: number });
}
// The medians of the times; the largest growth and the highest peak of memory.
const summary = (runs: Run[]): Run => ({
  seconds: median(runs.map((run) => run.seconds)),
  before: Math.min(...runs.map((run) => run.before)),
  peak: Math.max(...runs.map((run) => run.peak)),
  growth: Math.max(...runs.map((run) => run.growth)),
});
const plain = summary(plainRuns);
const published = summary(publishedRuns);
const allIdentical = receivedVideos.every((video) => video.size === size && video.sha256 === expected);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
app.close();
await mocks.close();
fs.rmSync(scratch, { recursive: true, force: true });

const line = (name: string, run: Run, runs: Run[]) =>
  `${name.padEnd(34)} ${run.seconds.toFixed(2)} s  ${(megabytes / run.seconds).toFixed(0)} MB/s  RSS ${run.before.toFixed(0)} → peak ${run.peak.toFixed(0)} MB (+${run.growth.toFixed(1)} MB at most)  (runs: ${runs.map((r) => `${r.seconds.toFixed(2)} s`).join(', ')})`;
console.log(`Publishing a ${megabytes} MB video to the Telegram contract mock (sendVideo, multipart streamed from disk), ${rounds} rounds taking turns, median times`);
console.log(line('plain upload (http.request + pipe)', plain, plainRuns));
console.log(line('publish.now → sendVideo', published, publishedRuns));
console.log(`bytes received ${allIdentical ? 'identical (SHA-256) in every round' : 'DIFFERENT'}`);
const ratio = plain.seconds / published.seconds;
console.log(`throughput ratio ${ratio.toFixed(2)} of the plain upload; the process's peak RSS overall ${maxRssMb.toFixed(0)} MB`);
const goalMb = 100;
reportBench(`Publishing a ${megabytes} MB video to Telegram (contract mock), medians of ${rounds} rounds`, [
  { name: 'publish.now → sendVideo, throughput', value: `${(megabytes / published.seconds).toFixed(0)} MB/s`, baseline: `${(megabytes / plain.seconds).toFixed(0)} MB/s plain upload`, ratio: `${ratio.toFixed(2)}×`, goal: '≥ 0.90×', met: met(ratio >= 0.9) },
  { name: 'publish.now → sendVideo, RSS growth', value: `+${published.growth.toFixed(1)} MB`, baseline: `+${plain.growth.toFixed(1)} MB plain upload`, ratio: '', goal: `< ${goalMb} MB`, met: met(published.growth < goalMb) },
  { name: 'bytes received (SHA-256)', value: allIdentical ? `identical in ${rounds} of ${rounds}` : 'DIFFERENT', baseline: '', ratio: '', goal: 'identical', met: met(allIdentical) },
]);
