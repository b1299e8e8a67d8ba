// The checks both ends of the local endpoint make before trusting a file: the app before it listens
// or hands out the token, a client before it sends the token anywhere. A socket or a token file that
// another user owns, or that others may open, is not Localpost's: another user could have put it
// there to catch the token (a socket) or to plant one (a token file).
import fs from 'node:fs';
import { AppError } from '../errors';

type Kind = 'directory' | 'file' | 'socket';

const kindOf = (stat: fs.Stats): Kind | 'other' => (stat.isDirectory() ? 'directory' : stat.isSocket() ? 'socket' : stat.isFile() ? 'file' : 'other');

/**
 * Throws `endpoint_untrusted` unless `target` is a `kind` (never a symbolic link), owned by this
 * user, with no permission for group or others. POSIX only: Windows has neither owner ids nor modes
 * here, and its pipe is guarded by the token.
 */
export function assertPrivate(target: string, kind: Kind, uid: number | undefined = process.getuid?.()): void {
  if (uid === undefined) return;
  const stat = fs.lstatSync(target);
  const problem =
    stat.isSymbolicLink() ? 'is a symbolic link'
    : kindOf(stat) !== kind ? `is not a ${kind}`
    : stat.uid !== uid ? `belongs to another user (uid ${stat.uid})`
    : (stat.mode & 0o077) !== 0 ? `may be opened by others (mode ${(stat.mode & 0o777).toString(8)})`
    : null;
  if (problem) {
    throw new AppError('endpoint_untrusted', `Localpost will not use ${target}: it ${problem}.`, {
      action: 'Remove it (Localpost makes a new one when it starts), and check who else uses this computer.',
    });
  }
}

/** Makes `dir` (0700) if it is missing, then checks it is this user's alone. */
export function ensureOwnPrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  assertPrivate(dir, 'directory');
}
