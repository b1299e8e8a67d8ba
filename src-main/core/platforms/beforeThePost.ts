// What an adapter does before the request that creates the post (media uploads, waiting for the
// platform to process them) cannot have posted anything, however it fails.
import { AppError } from '../errors';
import { findAppError } from '../http/httpClient';

/**
 * Runs what comes before the post request (uploads, waiting for processing). However it fails,
 * no post can exist yet, so a request that got no answer there is `not_sent` for the outbox:
 * trying again is safe, and the target is not left `unknown` for the user to settle.
 */
export async function beforeThePost<T>(steps: () => Promise<T>): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    const found = findAppError(error);
    if (found?.delivery !== 'maybe_sent') throw error;
    throw new AppError(found.code, found.message, {
      ...(found.action ? { action: found.action } : {}),
      ...(found.retryAt !== undefined ? { retryAt: found.retryAt } : {}),
      transient: found.transient,
      delivery: 'not_sent',
      cause: found,
    });
  }
}
