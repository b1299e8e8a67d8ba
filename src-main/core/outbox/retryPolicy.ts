// What a failed attempt means for its target, and when the next one may go. One place decides it,
// so every platform's target is retried, held or given up the same way:
//
// - The request surely never left: offline, it is not an attempt and the target waits for the
//   network; refused while "online", it backs off like a server error.
// - It may have reached the platform (timeout, connection reset, crash mid-request): re-sending
//   could post twice, so it is re-sent only where the platform dedupes or can be asked; otherwise
//   the target is `unknown` until a lookup or the user settles it.
// - The vault is locked (the OS key store did not give its key back): no sign-in can be read, so
//   nothing left; the target waits for the vault to open, without an attempt counted.
// - Rate limited: wait for the platform's own reset time (Retry-After, x-rate-limit-reset).
// - A server error (5xx): exponential backoff with full jitter (AWS Architecture Blog,
//   "Exponential Backoff And Jitter"), up to `maxAttempts`, then `failed_retryable` (Retry button).
// - Refused content, refused credentials: `failed_permanent` at once; refused credentials also
//   hold the account's other targets until it is reconnected (the account is `needs_reauth`).
import type { AppError } from '../errors';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1, injected so tests are exact. */
  random(): number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000, random: Math.random };

export type AttemptVerdict =
  /** Try again at `at`. */
  | { kind: 'retry'; at: number }
  /** Waits without a time: for the network, for the account to be reconnected, or for the vault
   *  to open (its key store was locked: the sign-in is there, only not readable yet). */
  | { kind: 'hold'; until: 'network' | 'reconnect' | 'vault' }
  /** The outcome is unknown and re-sending could duplicate it. */
  | { kind: 'unknown' }
  | { kind: 'failed_retryable' }
  | { kind: 'failed_permanent' };

/** Full jitter: a random delay up to base·2^(attempt-1), capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(policy.random() * ceiling);
}

/**
 * @param attempts attempts made so far, this one included
 * @param safeToResend the platform dedupes a re-send
 * @param online what the network port says now
 */
export function judgeFailure(
  error: AppError,
  context: { attempts: number; now: number; safeToResend: boolean; online: boolean; policy: RetryPolicy },
): AttemptVerdict {
  const { attempts, now, policy } = context;
  const exhausted = attempts >= policy.maxAttempts;
  if (error.code === 'network_unreachable' && error.delivery === 'not_sent') {
    // Offline: wait for the network. "Online" and still refused (a server down, a captive
    // portal): back off like any failure, so a dead host is not hammered.
    if (!context.online) return { kind: 'hold', until: 'network' };
    return exhausted ? { kind: 'failed_retryable' } : { kind: 'retry', at: now + backoffDelay(policy, attempts) };
  }
  if (error.code === 'network_unreachable' || error.delivery === 'maybe_sent') {
    if (!context.safeToResend) return { kind: 'unknown' };
    return exhausted ? { kind: 'failed_retryable' } : { kind: 'retry', at: now + backoffDelay(policy, attempts) };
  }
  if (error.code === 'platform_auth_failed') return { kind: 'hold', until: 'reconnect' };
  if (error.code === 'vault_locked') return { kind: 'hold', until: 'vault' };
  if (error.code === 'rate_limited') {
    if (exhausted) return { kind: 'failed_retryable' };
    // A little jitter after the reset, so every queued target does not fire in the same instant.
    const at = error.retryAt !== undefined && error.retryAt > now ? error.retryAt + backoffDelay(policy, 1) / 4 : now + backoffDelay(policy, attempts);
    return { kind: 'retry', at: Math.round(at) };
  }
  if (error.transient) {
    return exhausted ? { kind: 'failed_retryable' } : { kind: 'retry', at: now + backoffDelay(policy, attempts) };
  }
  return { kind: 'failed_permanent' };
}
