// YouTube's refusals as Localpost's stable error codes. The Data API answers every error with
// Google's JSON error body, `{ "error": { "code", "message", "errors": [{ "domain", "reason",
// "message" }] } }` (developers.google.com/youtube/v3/docs/errors); the `reason` says more than the
// status, and is what this reads.
import { AppError } from '../../errors';
import { classifyHttpFailure, type HttpFailure } from '../../http/platformFailure';

export const youTubeFailureRules = { platformName: 'YouTube', authFailed: [401], tooLarge: [413], tooLargeAction: 'YouTube takes files of up to 256 GB.' } as const;

/** Google's error body, as far as Localpost reads it. */
export interface GoogleErrorBody {
  said?: string;
  reasons: string[];
}

export async function readGoogleError(response: Response): Promise<GoogleErrorBody> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; errors?: Array<{ reason?: unknown }> } };
    const said = typeof parsed.error?.message === 'string' && parsed.error.message.trim() ? parsed.error.message.trim() : undefined;
    const reasons = (parsed.error?.errors ?? []).map((error) => error.reason).filter((reason): reason is string => typeof reason === 'string');
    return { ...(said ? { said } : {}), reasons };
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
    return { reasons: [] };
  }
}

/**
 * When YouTube's quotas start again: "Daily quotas reset at midnight Pacific Time"
 * (developers.google.com/youtube/v3/getting-started#quota). The offset is read for the moment
 * itself, so a change to or from daylight saving time lands on the right hour.
 */
export function nextPacificMidnight(now: number): number {
  const offsetAt = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        .formatToParts(at)
        .map((part) => [part.type, Number(part.value)]),
    ) as Record<string, number>;
    const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return { offset: local - Math.floor(at / 1000) * 1000, parts };
  };
  const { offset, parts } = offsetAt(now);
  // The next local midnight, written as if it were UTC, moved by the offset in force then.
  const localMidnight = Date.UTC(parts.year!, parts.month! - 1, parts.day! + 1);
  return localMidnight - offsetAt(localMidnight - offset).offset;
}

const quotaAction = (resetAt: number) =>
  `Localpost holds this channel's uploads and tries again after ${new Date(resetAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} (midnight Pacific time, when YouTube's quotas reset). To upload more each day, ask Google for a higher quota for your project in the Google Cloud console.`;

/** Reads a failed response (consuming its body) into an AppError. */
export async function youTubeProblem(response: Response, now: number): Promise<AppError> {
  const { said, reasons } = await readGoogleError(response);
  const has = (reason: string) => reasons.includes(reason);
  if (has('quotaExceeded') || has('dailyLimitExceeded')) {
    const resetAt = nextPacificMidnight(now);
    return new AppError('rate_limited', 'Your Google Cloud project has used up its daily YouTube API quota. Nothing was uploaded.', { action: quotaAction(resetAt), retryAt: resetAt });
  }
  if (has('uploadLimitExceeded')) {
    const resetAt = nextPacificMidnight(now);
    return new AppError('rate_limited', 'This channel has reached the number of videos YouTube lets it upload in a day. Nothing was uploaded.', { action: quotaAction(resetAt), retryAt: resetAt });
  }
  if (has('youtubeSignupRequired')) {
    return new AppError('platform_rejected', 'This Google account has no YouTube channel yet, so YouTube has nowhere to put the video.', {
      action: 'Create a channel at youtube.com with this Google account, then reconnect it in Localpost.',
    });
  }
  if (has('invalidTitle')) {
    return new AppError('invalid_input', `YouTube refused the video's title${said ? `: ${said}` : '.'}`, { action: 'Change the title (at most 100 characters, without < or >) and publish again.' });
  }
  if (has('invalidDescription')) {
    return new AppError('invalid_input', `YouTube refused the video's description${said ? `: ${said}` : '.'}`, { action: 'Shorten the text (at most 5,000 bytes, without < or >) and publish again.' });
  }
  if (has('invalidTags')) {
    return new AppError('invalid_input', `YouTube refused the video's tags${said ? `: ${said}` : '.'}`, { action: 'Change the tags (500 characters together at most) and publish again.' });
  }
  if (has('invalidPublishAt')) {
    return new AppError('invalid_input', `YouTube refused the time it should publish the video at${said ? `: ${said}` : '.'}`, {
      action: 'Choose a time in the future, or leave the scheduling to Localpost, and publish again.',
    });
  }
  if (has('forbidden') || has('insufficientPermissions')) {
    return new AppError('platform_rejected', `YouTube did not allow this upload${said ? `: ${said}` : '.'}`, {
      action: 'Check that the YouTube Data API v3 is enabled in your Google Cloud project and that you allowed Localpost to upload when you connected; reconnect if not.',
    });
  }
  // rateLimitExceeded: too many requests in a short time, not the day's quota.
  const failure: HttpFailure = { status: response.status, headers: response.headers, ...(said ? { said } : {}), ...(has('rateLimitExceeded') ? { means: 'rate_limited' as const } : {}) };
  return classifyHttpFailure(failure, youTubeFailureRules, now);
}
