// The authorization requests Localpost has sent and not yet seen come back, keyed by `state`.
// `state` is the CSRF defence of the redirect (RFC 6749 §10.12, RFC 9700 §4.7.1): a callback is
// only accepted when its state is one we issued, for the profile that started it, within ten
// minutes, and only once. A refused callback changes nothing, so an attacker's stray callback
// cannot cancel the user's real one.
import { AppError } from '../errors';
import type { Clock } from '../ports';

export interface PendingAuthorization {
  state: string;
  profileId: string;
  platform: string;
  /** The PKCE code verifier (RFC 7636 §4.1); never leaves this process except to the token endpoint.
   *  Null for a platform that refuses PKCE (see StartAuthorizationOptions.pkce). */
  codeVerifier: string | null;
  redirectUri: string;
  createdAt: number;
  expiresAt: number;
}

export type StateRefusal = 'unknown' | 'reused' | 'expired' | 'wrong_profile';

/** A callback whose state is not acceptable. `reason` is for logs and tests; the message is for users. */
export class RefusedStateError extends AppError {
  readonly reason: StateRefusal;
  constructor(reason: StateRefusal, message: string) {
    super('platform_rejected', message, { action: 'Start connecting again from Localpost.' });
    this.reason = reason;
  }
}

export const pendingAuthorizationTtlMs = 10 * 60 * 1000;

export class PendingAuthorizations {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #pending = new Map<string, PendingAuthorization>();
  // States already taken, remembered until they would have expired, so a replay is told apart
  // from a state we never issued (both are refused).
  readonly #consumed = new Map<string, number>();

  constructor({ clock, ttlMs = pendingAuthorizationTtlMs }: { clock: Clock; ttlMs?: number }) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  add(entry: Omit<PendingAuthorization, 'createdAt' | 'expiresAt'>): PendingAuthorization {
    this.#forgetOld();
    if (this.#pending.has(entry.state) || this.#consumed.has(entry.state)) {
      throw new AppError('internal', 'An authorization state was issued twice.');
    }
    const createdAt = this.#clock.now();
    const pending = { ...entry, createdAt, expiresAt: createdAt + this.#ttlMs };
    this.#pending.set(entry.state, pending);
    return pending;
  }

  /** Whether a state is waiting (not expired); for routing, it consumes nothing. */
  peek(state: string): PendingAuthorization | undefined {
    const pending = this.#pending.get(state);
    return pending && pending.expiresAt > this.#clock.now() ? pending : undefined;
  }

  /**
   * Consumes the pending authorization for `state`, if `profileId` started it and it has not
   * expired. Otherwise throws RefusedStateError and leaves every pending authorization as it was
   * (an expired one is dropped: it can never succeed).
   */
  take(state: string, profileId: string): PendingAuthorization {
    const now = this.#clock.now();
    const pending = this.#pending.get(state);
    if (!pending) {
      if (this.#consumed.has(state)) {
        throw new RefusedStateError('reused', 'This sign-in answer was already used; each one works only once.');
      }
      throw new RefusedStateError('unknown', 'This sign-in answer does not belong to a sign-in Localpost started.');
    }
    if (pending.expiresAt <= now) {
      this.#pending.delete(state);
      throw new RefusedStateError('expired', 'This sign-in took longer than 10 minutes and has expired.');
    }
    if (pending.profileId !== profileId) {
      throw new RefusedStateError('wrong_profile', 'This sign-in was started in another Localpost profile.');
    }
    this.#pending.delete(state);
    this.#consumed.set(state, pending.expiresAt);
    return pending;
  }

  /** Drops a pending authorization the user cancelled or replaced. */
  cancel(state: string): void {
    this.#pending.delete(state);
  }

  #forgetOld(): void {
    const now = this.#clock.now();
    for (const [state, expiresAt] of this.#consumed) if (expiresAt <= now) this.#consumed.delete(state);
    for (const [state, pending] of this.#pending) if (pending.expiresAt <= now) this.#pending.delete(state);
  }
}
