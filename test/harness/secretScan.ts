// The secret scan the end-to-end tests share: every file under a folder, and what crossed the
// bridge, searched for the secrets a test knows (passwords, tokens, webhook secrets) and for the
// shape of a JWT (a Bluesky session or an OAuth access token).
import fs from 'node:fs';
import path from 'node:path';

export const jwtShape = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/;

/** Every regular file under `dir`, at any depth. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map((entry) => path.join(dir, entry.toString()))
    .filter((file) => fs.statSync(file).isFile());
}

/** What of `secrets` (and any JWT) `content` holds, described for an assertion message. */
export function secretsIn(content: string, secrets: readonly string[]): string[] {
  const found = secrets.filter((secret) => content.includes(secret)).map((secret) => `${secret.slice(0, 6)}…`);
  if (jwtShape.test(content)) found.push('a JWT');
  return found;
}

/** Files are read as latin1 so that a secret inside a binary file (SQLite pages) still matches. */
export function secretsInFile(file: string, secrets: readonly string[]): string[] {
  return secretsIn(fs.readFileSync(file).toString('latin1'), secrets);
}
