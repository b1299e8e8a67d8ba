// How an MCP client (Claude Desktop, Cursor, VS Code) is told to start `localpost mcp`: the entry
// each expects in its own configuration file, where that file is on this OS, and, only when the
// user clicks "Add to <client>", that entry written into it. Writing keeps everything else in the
// file as it was, replaces only the `localpost` server, and goes through a temporary file and a
// rename so a crash never leaves half a file; a file that is not JSON is left untouched.
import fs from 'node:fs';
import path from 'node:path';
import type { McpClientId, McpClientSetup } from '../../../src-preload/contract';
import { AppError } from '../errors';

/** What starts the MCP server: the shell fills in the installed app's own command. */
export interface LocalpostCommand {
  command: string;
  args: string[];
}

export const defaultLocalpostCommand: LocalpostCommand = { command: 'localpost', args: ['mcp'] };

/** Where the OS keeps the user's files: injectable, so tests write into a temporary home. */
export interface UserFolders {
  home: string;
  platform: NodeJS.Platform;
  /** Windows' %APPDATA% (Roaming); `<home>\AppData\Roaming` when unset. */
  appData?: string;
  /** Linux's $XDG_CONFIG_HOME; `<home>/.config` when unset. */
  xdgConfigHome?: string;
}

/** The name the server goes by in every client's file. */
const serverName = 'localpost';

interface ClientShape {
  name: string;
  /** The top-level key the client reads its servers from. */
  serversKey: 'mcpServers' | 'servers';
  configPath(folders: UserFolders): string;
  entry(command: LocalpostCommand): Record<string, unknown>;
}

const appDataOf = (folders: UserFolders) => folders.appData ?? path.win32.join(folders.home, 'AppData', 'Roaming');
const configHomeOf = (folders: UserFolders) => folders.xdgConfigHome ?? path.posix.join(folders.home, '.config');
const joinFor = (folders: UserFolders) => (folders.platform === 'win32' ? path.win32.join : path.posix.join);

const clients: Record<McpClientId, ClientShape> = {
  // https://modelcontextprotocol.io/quickstart/user: claude_desktop_config.json under
  // ~/Library/Application Support/Claude (macOS) or %APPDATA%\Claude (Windows), servers under
  // `mcpServers`; the Linux build keeps its settings in the XDG config folder like other Electron apps.
  'claude-desktop': {
    name: 'Claude Desktop',
    serversKey: 'mcpServers',
    configPath: (folders) =>
      folders.platform === 'darwin'
        ? path.posix.join(folders.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')
        : folders.platform === 'win32'
          ? path.win32.join(appDataOf(folders), 'Claude', 'claude_desktop_config.json')
          : path.posix.join(configHomeOf(folders), 'Claude', 'claude_desktop_config.json'),
    entry: ({ command, args }) => ({ command, args }),
  },
  // https://docs.cursor.com/context/model-context-protocol: the global servers are in
  // ~/.cursor/mcp.json, under `mcpServers`, on every OS.
  cursor: {
    name: 'Cursor',
    serversKey: 'mcpServers',
    configPath: (folders) => joinFor(folders)(folders.home, '.cursor', 'mcp.json'),
    entry: ({ command, args }) => ({ command, args }),
  },
  // https://code.visualstudio.com/docs/copilot/reference/mcp-configuration: the user profile's
  // mcp.json (VS Code's User folder: ~/Library/Application Support/Code/User, %APPDATA%\Code\User,
  // ~/.config/Code/User), servers under `servers`, a stdio server with `"type": "stdio"`.
  vscode: {
    name: 'VS Code',
    serversKey: 'servers',
    configPath: (folders) =>
      folders.platform === 'darwin'
        ? path.posix.join(folders.home, 'Library', 'Application Support', 'Code', 'User', 'mcp.json')
        : folders.platform === 'win32'
          ? path.win32.join(appDataOf(folders), 'Code', 'User', 'mcp.json')
          : path.posix.join(configHomeOf(folders), 'Code', 'User', 'mcp.json'),
    entry: ({ command, args }) => ({ type: 'stdio', command, args }),
  },
};

export const mcpClientIds = Object.keys(clients) as McpClientId[];

export class McpClientSetupService {
  constructor(
    private readonly command: LocalpostCommand,
    private readonly folders: UserFolders,
  ) {}

  /** The exact entry for each client, as the user would paste it, and where its file is. */
  setup(): McpClientSetup {
    return {
      command: this.command.command,
      args: [...this.command.args],
      clients: mcpClientIds.map((id) => {
        const client = clients[id];
        const config = { [client.serversKey]: { [serverName]: client.entry(this.command) } };
        return { id, name: client.name, configPath: client.configPath(this.folders), config: JSON.stringify(config, null, 2) };
      }),
    };
  }

  /**
   * Adds (or replaces) the `localpost` server in the client's file, keeping every other key and
   * server as it was. A missing file (or folder) is created; a file that is not a JSON object is
   * refused and left exactly as it is.
   */
  writeConfig(id: McpClientId): { configPath: string } {
    const client = clients[id];
    const configPath = client.configPath(this.folders);
    let existing: Record<string, unknown> = {};
    let raw: string | null = null;
    try {
      raw = fs.readFileSync(configPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unwritable(client.name, configPath, error);
    }
    if (raw !== null && raw.trim() !== '') {
      const parsed = parseJson(raw);
      if (!isObject(parsed)) {
        throw new AppError('mcp_config_invalid', `${client.name}'s configuration file is not a JSON object, so Localpost left it as it is: ${configPath}`, {
          action: 'Fix the file (or copy the configuration by hand), then try again.',
        });
      }
      existing = parsed;
    }
    const servers = existing[client.serversKey];
    if (servers !== undefined && !isObject(servers)) {
      throw new AppError('mcp_config_invalid', `In ${configPath}, "${client.serversKey}" is not an object, so Localpost left the file as it is.`, {
        action: 'Fix the file (or copy the configuration by hand), then try again.',
      });
    }
    const updated = { ...existing, [client.serversKey]: { ...(servers ?? {}), [serverName]: client.entry(this.command) } };
    // Temp file in the same folder, then rename: the client never reads half a file.
    const temp = `${configPath}.localpost-${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(configPath), { recursive: true });
      fs.writeFileSync(temp, `${JSON.stringify(updated, null, 2)}\n`, { mode: raw === null ? 0o600 : fs.statSync(configPath).mode & 0o777 });
      fs.renameSync(temp, configPath);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw unwritable(client.name, configPath, error);
    }
    return { configPath };
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unwritable(name: string, configPath: string, error: unknown): AppError {
  return new AppError('mcp_config_unwritable', `Localpost could not update ${name}'s configuration file ${configPath} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
    action: 'Check that the file and its folder are yours and writable, or copy the configuration by hand.',
  });
}
