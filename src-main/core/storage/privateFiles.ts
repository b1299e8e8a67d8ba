// Everything under the data folder is the user's alone: folders 0700, files 0600. Creating with
// the mode (not chmod afterwards) leaves no window in which another user could read a file.
import fs from 'node:fs';

export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

export function ensurePrivateFile(file: string): void {
  if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
}

/** Writes a file atomically (temp + rename) and privately. */
export function writePrivateFile(file: string, data: Buffer | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, data, { mode: 0o600 });
  fs.renameSync(temp, file);
}
