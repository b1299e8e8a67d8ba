// MediaProcess, the core's side of the media worker: one worker for a batch of jobs, ended once
// idle; a crash or a hang costs the job it was doing, never the core. Played here with a worker
// whose side the test scripts (the real worker process: test/integration/mediaWorker.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { createLogger, silentSink } from '../../src-main/core/log/logger';
import { MediaProcess, type MediaJob, type MediaReply } from '../../src-main/core/media/mediaProcess';
import type { HelperProcess } from '../../src-main/core/ports';

class ScriptedWorker implements HelperProcess {
  readonly jobs: MediaJob[] = [];
  killed = false;
  exited = false;
  readonly #messageListeners: Array<(message: unknown) => void> = [];
  readonly #exitListeners: Array<(code: number | null) => void> = [];

  constructor(private readonly answer: (job: MediaJob, worker: ScriptedWorker) => void) {}

  postMessage(message: unknown): void {
    const job = structuredClone(message) as MediaJob;
    this.jobs.push(job);
    this.answer(job, this);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.#messageListeners.push(listener);
  }
  onExit(listener: (code: number | null) => void): void {
    this.#exitListeners.push(listener);
  }
  kill(): void {
    this.killed = true;
    setImmediate(() => this.exit(null));
  }
  /** The worker's side: a reply, cloned as it would cross between processes. */
  reply(reply: MediaReply): void {
    setImmediate(() => {
      for (const listener of this.#messageListeners) listener(structuredClone(reply));
    });
  }
  exit(code: number | null): void {
    if (this.exited) return;
    this.exited = true;
    for (const listener of this.#exitListeners) listener(code);
  }
}

function scripted(answer: (job: MediaJob, worker: ScriptedWorker) => void = (job, worker) => worker.reply({ id: job.id, ok: true, value: `${job.job} done` })) {
  const workers: ScriptedWorker[] = [];
  return {
    workers,
    launcher: {
      start() {
        const worker = new ScriptedWorker(answer);
        workers.push(worker);
        return worker;
      },
    },
  };
}

const log = createLogger('test', [silentSink]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MediaProcess', () => {
  it('starts no worker until a job comes, then one for a batch of jobs, each answered by its own reply', async () => {
    const { workers, launcher } = scripted();
    const media = new MediaProcess({ launcher, log });
    assert.equal(workers.length, 0);
    const answers = await Promise.all([media.tools.previewDataUrl(Buffer.from('a')), media.tools.probeVideo('/videos/clip.mp4')]);
    assert.deepEqual(answers, ['previewDataUrl done', 'probeVideo done']);
    assert.equal(workers.length, 1);
    assert.deepEqual(
      workers[0]!.jobs.map(({ job, args }) => ({ job, args })),
      [
        { job: 'previewDataUrl', args: [new Uint8Array([0x61])] },
        { job: 'probeVideo', args: ['/videos/clip.mp4'] },
      ],
    );
    media.stop();
  });

  it('hands bytes back as Buffers, as the tools in this process do', async () => {
    const { launcher } = scripted((job, worker) =>
      worker.reply({ id: job.id, ok: true, value: job.job === 'asPng' ? new Uint8Array([1, 2]) : { data: new Uint8Array([3]), mime: 'image/jpeg', width: 1, height: 1 } }),
    );
    const media = new MediaProcess({ launcher, log });
    const png = await media.tools.asPng(Buffer.from('x'));
    assert.ok(Buffer.isBuffer(png));
    const fitted = await media.tools.fitImage(new Uint8Array([9]));
    assert.ok(Buffer.isBuffer(fitted.data));
    assert.deepEqual({ ...fitted, data: [...fitted.data] }, { data: [3], mime: 'image/jpeg', width: 1, height: 1 });
    media.stop();
  });

  it("a refusal in the worker comes back as the same AppError; anything else as an internal failure", async () => {
    const { launcher } = scripted((job, worker) =>
      job.job === 'fitImage'
        ? worker.reply({ id: job.id, ok: false, error: { appError: true, code: 'media_too_large', message: 'That image is 9000 × 9000 pixels.', action: 'Use a smaller image.' } })
        : worker.reply({ id: job.id, ok: false, error: { appError: false, code: 'internal', message: 'vips_something failed' } }),
    );
    const media = new MediaProcess({ launcher, log });
    await assert.rejects(media.tools.fitImage(new Uint8Array([1])), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.deepEqual(error.toBridge(), { code: 'media_too_large', message: 'That image is 9000 × 9000 pixels.', action: 'Use a smaller image.' });
      return true;
    });
    await assert.rejects(media.tools.avatarDataUrl(Buffer.from('x')), (error: unknown) => error instanceof AppError && error.code === 'internal');
    media.stop();
  });

  it('a worker that dies during a job fails that job as a file it could not read; the next job starts a new worker', async () => {
    let crash = true;
    const { workers, launcher } = scripted((job, worker) => {
      if (crash) setImmediate(() => worker.exit(139));
      else worker.reply({ id: job.id, ok: true, value: 'fine' });
    });
    const media = new MediaProcess({ launcher, log });
    await assert.rejects(media.tools.fitImage(new Uint8Array([1])), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'media_unsupported');
      assert.match(error.message, /stopped while reading that file/);
      return true;
    });
    assert.equal(media.running, false);
    crash = false;
    assert.equal(await media.tools.previewDataUrl(Buffer.from('x')), 'fine');
    assert.equal(workers.length, 2);
    media.stop();
  });

  it('a job that takes longer than jobTimeoutMs ends the worker and fails as unreadable', async () => {
    const { workers, launcher } = scripted(() => {});
    const media = new MediaProcess({ launcher, log, jobTimeoutMs: 30 });
    await assert.rejects(media.tools.probeVideo('/videos/endless.mp4'), (error: unknown) => error instanceof AppError && error.code === 'media_unsupported' && /longer than/.test(error.message));
    assert.equal(workers[0]!.killed, true);
    assert.equal(media.running, false);
    media.stop();
  });

  it('ends the worker once idle for idleMs (all it held goes with it), and starts another for a later job', async () => {
    const { workers, launcher } = scripted();
    const media = new MediaProcess({ launcher, log, idleMs: 40 });
    await media.tools.previewDataUrl(Buffer.from('x'));
    await sleep(10);
    await media.tools.previewDataUrl(Buffer.from('y'));
    assert.equal(workers[0]!.killed, false, 'a job within idleMs keeps the worker');
    await sleep(80);
    assert.equal(workers[0]!.killed, true);
    assert.equal(media.running, false);
    await media.tools.previewDataUrl(Buffer.from('z'));
    assert.equal(workers.length, 2);
    media.stop();
  });

  it('stop ends the worker, fails what it was doing, and refuses later jobs', async () => {
    const { workers, launcher } = scripted(() => {});
    const media = new MediaProcess({ launcher, log });
    const pending = media.tools.fitImage(new Uint8Array([1]));
    media.stop();
    await assert.rejects(pending, AppError);
    assert.equal(workers[0]!.killed, true);
    await assert.rejects(media.tools.fitImage(new Uint8Array([1])), AppError);
    assert.equal(workers.length, 1);
  });
});
