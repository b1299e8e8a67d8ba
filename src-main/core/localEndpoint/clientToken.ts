// The per-install token a local client shows before the app answers it: 256 random bits in a file
// only the user can read. The socket's folder keeps other users out on POSIX; on Windows, where any
// local user may open a named pipe, this token is the whole guard. Made once, kept across starts,
// so a client configured in an AI assistant keeps working; deleting the file revokes every client
// at the next start.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assertPrivate, ensureOwnPrivateDir } from './privatePaths';

export function readOrCreateClientToken(tokenFile: string): string {
  ensureOwnPrivateDir(path.dirname(tokenFile));
  try {
    // 'wx': made here, privately, or not at all; never a file someone else put in its place.
    fs.writeFileSync(tokenFile, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readClientToken(tokenFile);
}

/** The token, from a file that must be the user's alone. */
export function readClientToken(tokenFile: string): string {
  assertPrivate(tokenFile, 'file');
  return fs.readFileSync(tokenFile, 'utf8').trim();
}

/** Compared in constant time, so the answer's timing tells nothing of the token. */
export function sameToken(expected: string, offered: unknown): boolean {
  if (typeof offered !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(offered);
  return a.length === b.length && timingSafeEqual(a, b);
}
