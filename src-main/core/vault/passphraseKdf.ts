// The key-encryption key a passphrase gives: scrypt (RFC 7914) with its parameters stored beside
// the wrapped key, so they can be raised later without locking anyone out. N = 2^17, r = 8,
// p = 1 is OWASP's current minimum for scrypt (Password Storage Cheat Sheet); the 2^15 used
// before is RFC 7914's 2009 "interactive login" figure. A vault sealed without a stored record is
// read with those old parameters and re-wrapped with the current ones at its next unlock.
import crypto from 'node:crypto';

export interface ScryptParams {
  name: 'scrypt';
  N: number;
  r: number;
  p: number;
}

export const currentKdf: ScryptParams = { name: 'scrypt', N: 2 ** 17, r: 8, p: 1 };

/** What a vault that stored no parameters was sealed with. */
export const legacyKdf: ScryptParams = { name: 'scrypt', N: 2 ** 15, r: 8, p: 1 };

/** Reads the stored record; absent means the legacy parameters. Anything else is refused. */
export function parseKdf(stored: string | undefined): ScryptParams {
  if (stored === undefined) return legacyKdf;
  const parsed = JSON.parse(stored) as Partial<ScryptParams>;
  const { name, N, r, p } = parsed;
  const positive = (n: unknown): n is number => Number.isInteger(n) && (n as number) > 0;
  if (name !== 'scrypt' || !positive(N) || !positive(r) || !positive(p) || (N & (N - 1)) !== 0) {
    throw new Error('The vault names a key derivation this Localpost does not know.');
  }
  return { name, N, r, p };
}

/** True when `params` costs less than the current parameters: re-wrap at the next unlock. */
export function isBelowCurrent(params: ScryptParams): boolean {
  return params.N * params.r * params.p < currentKdf.N * currentKdf.r * currentKdf.p;
}

/**
 * Derives the 32-byte key. scrypt needs 128·N·r bytes; Node refuses to exceed `maxmem`, so it is
 * set from the parameters with room to spare. Runs in libuv's thread pool, off the main thread.
 */
export function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    crypto.scrypt(passphrase, salt, 32, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
