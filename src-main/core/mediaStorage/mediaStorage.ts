// Public media for the platforms that fetch a file from an address rather than take an upload:
// Instagram's and Threads' content publishing APIs take an `image_url` / `video_url` they fetch
// themselves from a publicly accessible server
// (developers.facebook.com/docs/instagram-platform/content-publishing/,
// developers.facebook.com/documentation/threads/get-started). Localpost has no server, so the file
// goes to the user's own bucket under a random key, is handed to the platform as a presigned GET
// address that expires within the hour, and is deleted as soon as the platform has it. Every key is recorded before its upload starts and forgotten after its delete,
// so that what a crash left behind is deleted at the next start (`sweepLeftovers`).
import crypto from 'node:crypto';
import type { MediaStorageTestStep } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import { fileRangeBody } from '../http/fileRangeBody';
import { findAppError } from '../http/httpClient';
import type { Logger } from '../log/logger';
import type { Clock, HttpFetch } from '../ports';
import { bucketFailure, s3ErrorCode, S3Bucket } from './s3Bucket';
import type { BucketConfig, MediaStorageStore } from './mediaStorageStore';

/** Every key Localpost writes starts with it, so the user can tell its objects from their own. */
export const keyPrefix = 'localpost/';

/** Long enough for a platform to fetch a large video, well inside the hour. */
export const defaultExpirySeconds = 30 * 60;

/** Within the hour, whatever a caller asks. */
const maxExpirySeconds = 60 * 60;

/** PutObject's limit for one request (docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). */
const maxSinglePutBytes = 5 * 1024 ** 3;

export interface PublishedMedia {
  key: string;
  /** Presigned GET address, for the platform to fetch. */
  url: string;
  /** When `url` stops working (ms since the epoch). */
  expiresAt: number;
}

export class MediaStorage {
  /** Keys this process put and has not deleted: handed to a platform, maybe being fetched now.
   *  The sweep leaves them alone; it is for what an earlier process left. */
  readonly #live = new Set<string>();

  constructor(
    private readonly deps: {
      store: Pick<MediaStorageStore, 'require' | 'read'>;
      db: Db;
      fetch: HttpFetch;
      clock: Clock;
      log: Logger;
    },
  ) {}

  /** Puts the file in the user's bucket, streamed from disk, and returns the address to hand over. */
  async publish(file: { path: string; size: number; mime: string }, options: { expiresInSeconds?: number } = {}): Promise<PublishedMedia> {
    const bucket = this.bucket(this.deps.store.require());
    if (file.size > maxSinglePutBytes) {
      throw new AppError('media_too_large', 'The file is larger than the 5 GB a bucket takes in one upload.', { action: 'Attach a smaller file.' });
    }
    const key = newKey();
    this.#live.add(key);
    // Recorded before a byte goes: a crash from here on leaves a row the next start sweeps.
    this.deps.db.prepare('INSERT INTO media_storage_objects (key, bucket_ref, created_at) VALUES (?, ?, ?)').run(key, bucket.ref, this.deps.clock.now());
    const expirySeconds = Math.min(options.expiresInSeconds ?? defaultExpirySeconds, maxExpirySeconds);
    try {
      await bucket.put(key, fileRangeBody({ path: file.path, start: 0, end: file.size }), file.mime);
    } catch (error) {
      // The object may exist (an answer lost after the server kept it): try to delete it now; if
      // that fails too the row stays, and no longer served, it is the sweep's.
      await this.remove(key).catch(() => this.#live.delete(key));
      throw error;
    }
    const { url, expiresAt } = await bucket.presignGet(key, expirySeconds);
    return { key, url, expiresAt };
  }

  /** Deletes the object and forgets it; an object already gone counts as deleted. */
  async remove(key: string): Promise<void> {
    const bucket = this.bucket(this.deps.store.require());
    await bucket.delete(key);
    this.deps.db.prepare('DELETE FROM media_storage_objects WHERE key = ?').run(key);
    this.#live.delete(key);
  }

  /** Deletes every object a crash left in the bucket; never one this process is still serving.
   *  Objects recorded for another bucket than the saved one stay recorded: their keys are for a
   *  bucket Localpost cannot sign for now. */
  async sweepLeftovers(): Promise<{ deleted: number; failed: number }> {
    const config = this.deps.store.read();
    if (!config) return { deleted: 0, failed: 0 };
    const bucket = this.bucket(config);
    const rows = (this.deps.db.prepare('SELECT key FROM media_storage_objects WHERE bucket_ref = ?').all(bucket.ref) as { key: string }[]).filter(
      ({ key }) => !this.#live.has(key),
    );
    let deleted = 0;
    let failed = 0;
    for (const { key } of rows) {
      try {
        await bucket.delete(key);
        this.deps.db.prepare('DELETE FROM media_storage_objects WHERE key = ?').run(key);
        deleted++;
      } catch (error) {
        failed++;
        this.deps.log.warn('Could not delete a leftover object from media storage', { code: findAppError(error)?.code ?? 'internal' });
      }
    }
    if (rows.length > 0) this.deps.log.info('Swept media storage', { deleted, failed });
    return { deleted, failed };
  }

  /** Keys recorded and not yet deleted (for tests and the sweep). */
  pendingKeys(): string[] {
    return (this.deps.db.prepare('SELECT key FROM media_storage_objects ORDER BY created_at').all() as { key: string }[]).map((row) => row.key);
  }

  /**
   * "Test this bucket": writes a small object under a random key, reads it back through a presigned
   * address with a plain GET (as a platform would, without keys), and deletes it. Each step's
   * outcome is reported; after a failed write the others are skipped, and after a failed read the
   * delete is still tried.
   */
  async test(config: BucketConfig): Promise<{ ok: boolean; steps: MediaStorageTestStep[] }> {
    const bucket = this.bucket(config);
    const key = newKey();
    const content = `Localpost checks this bucket; this object is deleted at once. ${key}\n`;
    const steps: MediaStorageTestStep[] = [];
    const bytes = new TextEncoder().encode(content);
    try {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
      await bucket.put(key, { body, length: bytes.length, failure: undefined }, 'text/plain');
      steps.push({ step: 'write', outcome: 'ok', message: 'Wrote a small test object.' });
    } catch (error) {
      steps.push(failedStep('write', error));
      steps.push({ step: 'read', outcome: 'skipped', message: 'Not tried: nothing was written.' });
      steps.push({ step: 'delete', outcome: 'skipped', message: 'Not tried: nothing was written.' });
      return { ok: false, steps };
    }
    try {
      const { url } = await bucket.presignGet(key, 60);
      const response = await this.deps.fetch(url, { redirect: 'error' });
      if (!response.ok) throw bucketFailure(response.status, await s3ErrorCode(response), 'read from');
      const read = await response.text();
      if (read !== content) throw new AppError('media_storage_rejected', 'The bucket answered the address with other bytes than were written.', { action: 'Check that the endpoint is the bucket’s own.' });
      steps.push({ step: 'read', outcome: 'ok', message: 'Read it back through a temporary address, as a platform would.' });
    } catch (error) {
      steps.push(failedStep('read', error));
    }
    try {
      await bucket.delete(key);
      steps.push({ step: 'delete', outcome: 'ok', message: 'Deleted the test object.' });
    } catch (error) {
      steps.push(failedStep('delete', error));
    }
    return { ok: steps.every((step) => step.outcome === 'ok'), steps };
  }

  private bucket(config: BucketConfig): S3Bucket {
    return new S3Bucket(config, this.deps.fetch, this.deps.clock);
  }
}

/** 122 random bits (a v4 UUID): no one guesses an address before it is handed over. */
function newKey(): string {
  return `${keyPrefix}${crypto.randomUUID()}`;
}

function failedStep(step: MediaStorageTestStep['step'], error: unknown): MediaStorageTestStep {
  const appError = findAppError(error);
  const message = appError ? `${appError.message}${appError.action ? ` ${appError.action}` : ''}` : 'Something went wrong inside Localpost.';
  return { step, outcome: 'failed', message, code: appError?.code ?? 'internal' };
}
