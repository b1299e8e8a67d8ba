// Where the running app listens for its local clients (the `localpost` command, `localpost mcp`),
// and where the per-install token they must show is kept. Both derive from the data folder alone,
// so the app and a client agree without asking anyone, and two data folders never share a door.
//
// - POSIX: a Unix domain socket in a 0700 folder of the data folder. The folder's mode is what
//   keeps other users out (Linux checks write permission on the socket file, other systems may not;
//   unix(7)), and the socket itself is 0600. A socket path has at most 104 bytes on macOS and 108 on
//   Linux (`sun_path`), so a data folder too deep for it falls back to a private folder, named for
//   the data folder, under the runtime directory (XDG_RUNTIME_DIR, itself 0700) or the temp folder.
// - Windows: a named pipe, `\\.\pipe\localpost-<hash>`. Pipes have no file mode here, so the token
//   (a file only the user can read) is what keeps other users out.
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

export interface EndpointAddress {
  /** What `net.createServer().listen()` and `net.connect()` take: a socket file or a pipe name. */
  socketPath: string;
  /** The private folder the socket file lives in; null for a Windows pipe. */
  socketDir: string | null;
  /** The per-install token file, readable by the user alone. */
  tokenFile: string;
}

/** The longest socket path every POSIX system takes (macOS's `sun_path` is 104 bytes, with its NUL). */
const maxSocketPathBytes = 103;

export function endpointAddress(
  dataDir: string,
  system: { platform: NodeJS.Platform; env: Readonly<Record<string, string | undefined>>; tmpdir: string; uid: number } = currentSystem(),
): EndpointAddress {
  const folder = path.join(dataDir, 'endpoint');
  const tokenFile = path.join(folder, 'client-token');
  const tag = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  if (system.platform === 'win32') return { socketPath: `\\\\.\\pipe\\localpost-${tag}`, socketDir: null, tokenFile };
  const inDataDir = path.join(folder, 'localpost.sock');
  if (Buffer.byteLength(inDataDir) <= maxSocketPathBytes) return { socketPath: inDataDir, socketDir: folder, tokenFile };
  const base = system.env.XDG_RUNTIME_DIR?.trim() || system.tmpdir;
  const socketDir = path.join(base, `localpost-${system.uid}-${tag}`);
  return { socketPath: path.join(socketDir, 'localpost.sock'), socketDir, tokenFile };
}

function currentSystem() {
  return { platform: process.platform, env: process.env, tmpdir: os.tmpdir(), uid: process.getuid?.() ?? -1 };
}
