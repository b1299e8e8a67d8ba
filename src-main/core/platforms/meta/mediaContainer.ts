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

export function isStillPreparing(error: unknown, platformName: string): boolean {
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
