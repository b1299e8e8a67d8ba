// What Meta's Instagram and Threads publishing APIs share around a media container: the file a
// container names by its public address is put in the user's media storage first (the platform
// fetches it itself: Instagram's content-publishing and Threads' posts pages, "must be on a public
// server") and deleted again once the container is no longer IN_PROGRESS; the container's status
// is then polled until it is FINISHED (or already PUBLISHED), which both document as the step
// before publishing (Instagram ig-container `status_code`, Threads container `status`).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../errors';
import { failureActions } from '../../http/platformFailure';
import type { Logger } from '../../log/logger';
import { registerSecret } from '../../log/redact';
import type { Clock } from '../../ports';
import type { PublishedPost } from '../adapter';
import type { PlatformMediaStorage } from '../platformModule';

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';
export const containerStatuses: readonly string[] = ['IN_PROGRESS', 'FINISHED', 'PUBLISHED', 'ERROR', 'EXPIRED'];

/** The user's bucket, as a Meta platform uses it for one container's files. */
export class ContainerMediaStorage {
  constructor(private readonly deps: { mediaStorage: PlatformMediaStorage; log: Logger; platformName: string }) {}

  /** A file on disk into the bucket (streamed, never read whole); its presigned address never logged. */
  async putFile(file: { path: string; size: number; mime: string }): Promise<{ key: string; url: string }> {
    const published = await this.deps.mediaStorage.publish(file);
    // The presigned address lets anyone read the file until it lapses.
    registerSecret(published.url);
    return published;
  }

  /** Bytes in memory (an image) into the bucket, from a file of their own: the bucket reads files. */
  async putBytes(bytes: Buffer, mime: string, fileName: string): Promise<{ key: string; url: string }> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'localpost-meta-'));
    try {
      const file = path.join(dir, fileName);
      await fs.writeFile(file, bytes);
      return await this.putFile({ path: file, size: bytes.length, mime });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** Deletes a file from the bucket; a failure leaves it to the sweep at the next start. */
  async remove(key: string): Promise<void> {
    try {
      await this.deps.mediaStorage.remove(key);
    } catch (error) {
      this.deps.log.warn(`Could not delete a ${this.deps.platformName} file from media storage`, { error });
    }
  }
}

export interface ContainerPolling {
  clock: Clock;
  /** The first wait between status reads (default 1 s); each later one half again as long, up to 10 s. */
  firstDelayMs?: number;
  /** How long a container may stay IN_PROGRESS before the attempt ends (default 5 minutes). */
  maxWaitMs?: number;
}

/** The refusal of a container still IN_PROGRESS past the wait: its files stay for the next attempt. */
export function stillPreparing(platformName: string): AppError {
  return new AppError('platform_rejected', `${platformName} is still preparing the post.`, { action: failureActions.tryLater, transient: true, delivery: 'not_sent' });
}

function isStillPreparing(error: unknown, platformName: string): boolean {
  return error instanceof AppError && error.message === stillPreparing(platformName).message;
}

/**
 * Reads the container's status until it is no longer IN_PROGRESS: FINISHED or PUBLISHED is
 * returned, ERROR becomes `failed(status)`, EXPIRED says so (a container lasts 24 hours), and one
 * still IN_PROGRESS past the wait is `stillPreparing`.
 */
export async function awaitContainer<S extends { status: ContainerStatus }>(
  platformName: string,
  read: () => Promise<S>,
  failed: (status: S) => AppError,
  polling: ContainerPolling,
): Promise<'FINISHED' | 'PUBLISHED'> {
  const started = polling.clock.now();
  let delay = polling.firstDelayMs ?? 1000;
  for (;;) {
    const answer = await read();
    if (answer.status === 'FINISHED' || answer.status === 'PUBLISHED') return answer.status;
    if (answer.status === 'ERROR') throw failed(answer);
    if (answer.status === 'EXPIRED') {
      throw new AppError('platform_rejected', `${platformName} let the prepared post expire before it was published (containers last 24 hours).`, {
        action: 'Publish it again: Localpost prepares a new one.',
        delivery: 'not_sent',
      });
    }
    if (polling.clock.now() - started > (polling.maxWaitMs ?? 5 * 60_000)) throw stillPreparing(platformName);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 1.5, 10_000);
  }
}

/** What a target keeps between attempts: its container, and the post once published. */
export interface ContainerHandle {
  containerId: string;
  mediaId?: string;
}

/**
 * One target's container, as the steps both platforms share see it: each platform reads its own
 * status fields, names its own publish edge and keeps its own files, the order of things is the same.
 */
export interface ContainerTarget<Handle extends ContainerHandle> {
  platformName: string;
  log: Logger;
  accountId: string;
  /** A Graph API call as the account: the answer's JSON, or the platform's refusal as an AppError. */
  call(method: 'GET' | 'POST', path: string, form?: URLSearchParams): Promise<unknown>;
  /** The account's user id, which the publish edge hangs from. */
  userId(): string;
  /** `POST /{user-id}/<edge>?creation_id=`: Threads' `threads_publish`, Instagram's `media_publish`. */
  publishEdge: string;
  /** The container's status now (one read). */
  status(containerId: string): Promise<ContainerStatus>;
  /** The container's status once no longer IN_PROGRESS (awaitContainer with the platform's ERROR). */
  awaitFinished(containerId: string): Promise<'FINISHED' | 'PUBLISHED'>;
  /** Whether the handle still names files in the user's bucket. */
  holdsStored(handle: Handle): boolean;
  /** Deletes the handle's files from the bucket and saves the handle without them. */
  dropStored(handle: Handle): Promise<Handle>;
  saveHandle(handle: Handle): Promise<void>;
  /** A container PUBLISHED by an attempt whose answer was lost, found among the account's latest. */
  findPublished(containerId: string): Promise<PublishedPost>;
  /** A container in ERROR found by a later attempt: a new one is made (Instagram), or the target
   *  ends with the container's error (Threads, whose error words say what to change). */
  onError: 'start afresh' | 'fail';
}

/** Goes on from a saved container: published already, publishable now, or gone (null: start afresh). */
export async function settleContainer<Handle extends ContainerHandle>(target: ContainerTarget<Handle>, handle: Handle): Promise<PublishedPost | null> {
  if (handle.mediaId) return withPermalink(target, handle.mediaId);
  const status = await target.status(handle.containerId);
  if (target.holdsStored(handle) && status !== 'IN_PROGRESS') handle = await target.dropStored(handle);
  if (status === 'PUBLISHED') {
    target.log.info(`${target.platformName} container was already published`, { account: target.accountId });
    return target.findPublished(handle.containerId);
  }
  // An expired container never became a post (it lapses 24 hours after creation unpublished),
  // nor did one in ERROR.
  if (status === 'EXPIRED' || (status === 'ERROR' && target.onError === 'start afresh')) return null;
  return publishContainer(target, handle);
}

/** Waits for the container to be FINISHED, then publishes it; reads a lost answer from its status. */
export async function publishContainer<Handle extends ContainerHandle>(target: ContainerTarget<Handle>, handle: Handle): Promise<PublishedPost> {
  let status: 'FINISHED' | 'PUBLISHED';
  try {
    status = await target.awaitFinished(handle.containerId);
  } catch (error) {
    // Still IN_PROGRESS: the platform may yet fetch the files, so they stay for the next attempt.
    if (target.holdsStored(handle) && !isStillPreparing(error, target.platformName)) await target.dropStored(handle);
    throw error;
  }
  // FINISHED: the platform has the files; they leave the bucket before the post goes out.
  if (target.holdsStored(handle)) handle = await target.dropStored(handle);
  if (status === 'PUBLISHED') return target.findPublished(handle.containerId);
  const form = new URLSearchParams({ creation_id: handle.containerId });
  const { id } = (await target.call('POST', `/${encodeURIComponent(target.userId())}/${target.publishEdge}`, form)) as { id?: unknown };
  if (typeof id !== 'string' || id === '') {
    // Whether it was published only the container's status can tell: the next attempt asks it.
    throw new AppError('platform_rejected', `${target.platformName} answered the publish without the post’s id.`, { action: failureActions.tryLater, transient: true });
  }
  await target.saveHandle({ ...handle, mediaId: id });
  return withPermalink(target, id);
}

/** The published post with its permalink (`GET /{media-id}?fields=permalink`), for History. */
async function withPermalink(target: ContainerTarget<ContainerHandle>, mediaId: string): Promise<PublishedPost> {
  let url: string | null = null;
  try {
    const answer = (await target.call('GET', `/${encodeURIComponent(mediaId)}?fields=permalink`)) as { permalink?: unknown };
    url = typeof answer.permalink === 'string' && /^https:\/\//.test(answer.permalink) ? answer.permalink : null;
  } catch (error) {
    // The post is out; only its link is missing from History.
    target.log.warn(`${target.platformName} permalink unavailable`, { account: target.accountId, error });
  }
  return { uri: mediaId, cid: null, url };
}
