// Attaching a large video: the core probes it where it is and streams it into the draft's folder,
// so memory must stay flat whatever the size. The file is the small MP4 fixture followed by a
// large top-level `free` box (ISO/IEC 14496-12: skipped by every reader), made sparse, so any
// size costs no disk until it is copied. Compared, in the same run, with a plain streamed copy of
// the same file. Goal: peak RSS growth under 100 MB for any size (BENCH_VIDEO_MB=2048 to see).
//
//   npx tsx --expose-gc bench/video-attach-memory.ts     (BENCH_VIDEO_MB=300 is the default)
import './asMainProcess';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { largeMp4, videoScratchDir } from '../test/fixtures/videos';
import { startCore } from '../test/harness/coreClient';
import { met, reportBench } from './benchTable';
import { measureMemory } from './measureMemory';

const megabytes = Number(process.env.BENCH_VIDEO_MB ?? 300);
const scratch = videoScratchDir();
const big = path.join(scratch, 'big.mp4');

largeMp4(scratch, megabytes * 1024 * 1024, 'big.mp4');
const app = await startCore();
const draft = await app.call('drafts.create', {});

// The plain copy first, so the core's run cannot profit from a page cache the baseline lacked.
const plain = await measureMemory(() => pipeline(fs.createReadStream(big), fs.createWriteStream(path.join(scratch, 'plain-copy.mp4'))));
fs.rmSync(path.join(scratch, 'plain-copy.mp4'));

app.answerFileDialog(big);
const attached = await measureMemory(async () => {
  const result = await app.call('drafts.addVideo', { draftId: draft.id });
  if (result.outcome !== 'added' || result.video.bytes !== megabytes * 1024 * 1024) throw new Error(`unexpected: ${JSON.stringify(result)}`);
});
const maxRssMb = process.resourceUsage().maxRSS / 1024;
app.close();
fs.rmSync(scratch, { recursive: true, force: true });

const line = (name: string, run: typeof plain) =>
  `${name.padEnd(28)} ${run.seconds.toFixed(2)} s  ${(megabytes / run.seconds).toFixed(0)} MB/s  RSS ${run.before.toFixed(0)} → peak ${run.peak.toFixed(0)} MB (+${run.growth.toFixed(1)} MB)`;
console.log(`Attaching a ${megabytes} MB video (probe + streamed copy into the data folder)`);
console.log(line('plain streamed copy', plain));
console.log(line('drafts.addVideo', attached));
console.log(`throughput ratio ${(plain.seconds / attached.seconds).toFixed(2)} of the plain copy; the process's peak RSS overall ${maxRssMb.toFixed(0)} MB`);
// Flat means a fixed cost (stream buffers, the probe's 4 MB cache), the same for 300 MB as for 2 GB.
const goalMb = 100;
reportBench(`Attaching a ${megabytes} MB video`, [
  { name: 'drafts.addVideo, RSS growth', value: `+${attached.growth.toFixed(1)} MB`, baseline: `+${plain.growth.toFixed(1)} MB plain streamed copy`, ratio: '', goal: `< ${goalMb} MB`, met: met(attached.growth < goalMb) },
  { name: 'drafts.addVideo, throughput', value: `${(megabytes / attached.seconds).toFixed(0)} MB/s`, baseline: `${(megabytes / plain.seconds).toFixed(0)} MB/s plain streamed copy`, ratio: `${(plain.seconds / attached.seconds).toFixed(2)}×`, goal: '', met: '' },
]);
