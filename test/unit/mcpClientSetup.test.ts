// Settings → AI assistants: each MCP client's entry, where its file is per OS, and "Add to
// <client>" writing only the localpost server into a real file under a temporary home.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { McpClientSetupService } from '../../src-main/core/assistants/mcpClientSetup';
import { AppError } from '../../src-main/core/errors';

const command = { command: '/Applications/Localpost.app/Contents/MacOS/Localpost', args: ['--cli', 'mcp'] };
let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-home-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const linux = () => new McpClientSetupService(command, { home, platform: 'linux' });
const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe('the configuration each client expects', () => {
  it('gives each client its own JSON shape with the command from the core', () => {
    const setup = linux().setup();
    assert.equal(setup.command, command.command);
    assert.deepEqual(setup.args, command.args);
    const byId = Object.fromEntries(setup.clients.map((client) => [client.id, client]));
    assert.deepEqual(JSON.parse(byId['claude-desktop']!.config), { mcpServers: { localpost: command } });
    assert.deepEqual(JSON.parse(byId.cursor!.config), { mcpServers: { localpost: command } });
    assert.deepEqual(JSON.parse(byId.vscode!.config), { servers: { localpost: { type: 'stdio', ...command } } });
  });

  it('names each file where the client reads it, on every OS', () => {
    const paths = (platform: NodeJS.Platform, extra = {}) =>
      Object.fromEntries(new McpClientSetupService(command, { home: platform === 'win32' ? 'C:\\Users\\ann' : '/home/ann', platform, ...extra }).setup().clients.map((c) => [c.id, c.configPath]));
    assert.deepEqual(paths('darwin'), {
      'claude-desktop': '/home/ann/Library/Application Support/Claude/claude_desktop_config.json',
      cursor: '/home/ann/.cursor/mcp.json',
      vscode: '/home/ann/Library/Application Support/Code/User/mcp.json',
    });
    assert.deepEqual(paths('win32', { appData: 'C:\\Users\\ann\\AppData\\Roaming' }), {
      'claude-desktop': 'C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
      cursor: 'C:\\Users\\ann\\.cursor\\mcp.json',
      vscode: 'C:\\Users\\ann\\AppData\\Roaming\\Code\\User\\mcp.json',
    });
    assert.deepEqual(paths('linux'), {
      'claude-desktop': '/home/ann/.config/Claude/claude_desktop_config.json',
      cursor: '/home/ann/.cursor/mcp.json',
      vscode: '/home/ann/.config/Code/User/mcp.json',
    });
    assert.equal(paths('linux', { xdgConfigHome: '/xdg' })['claude-desktop'], '/xdg/Claude/claude_desktop_config.json');
  });
});

describe('Add to <client>', () => {
  it('creates a missing file (and its folders) with only the localpost server', () => {
    const { configPath } = linux().writeConfig('claude-desktop');
    assert.equal(configPath, path.join(home, '.config/Claude/claude_desktop_config.json'));
    assert.deepEqual(read(configPath), { mcpServers: { localpost: command } });
  });

  it('keeps every other key and server, and replaces only an earlier localpost entry', () => {
    const file = path.join(home, '.cursor/mcp.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const before = { theme: 'dark', mcpServers: { github: { command: 'npx', args: ['-y', 'gh'], env: { TOKEN: 'x' } }, localpost: { command: 'old', args: [] } } };
    fs.writeFileSync(file, JSON.stringify(before), { mode: 0o640 });
    linux().writeConfig('cursor');
    assert.deepEqual(read(file), { theme: 'dark', mcpServers: { github: before.mcpServers.github, localpost: command } });
    assert.equal(fs.statSync(file).mode & 0o777, 0o640, 'the file keeps its permissions');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['mcp.json'], 'no temporary file is left');
  });

  it('writes VS Code its own shape under "servers", keeping its inputs', () => {
    const file = path.join(home, '.config/Code/User/mcp.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ inputs: [{ id: 'key', type: 'promptString' }], servers: { other: { type: 'http', url: 'https://x.test' } } }));
    linux().writeConfig('vscode');
    assert.deepEqual(read(file), {
      inputs: [{ id: 'key', type: 'promptString' }],
      servers: { other: { type: 'http', url: 'https://x.test' }, localpost: { type: 'stdio', ...command } },
    });
  });

  it('refuses a file that is not JSON, or whose servers are not an object, and changes nothing', () => {
    const file = path.join(home, '.cursor/mcp.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const content of ['{ "mcpServers": { "a": 1 }, }', '[1, 2]', '{"mcpServers": []}']) {
      fs.writeFileSync(file, content);
      assert.throws(() => linux().writeConfig('cursor'), isCode('mcp_config_invalid'));
      assert.equal(fs.readFileSync(file, 'utf8'), content);
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ['mcp.json']);
    }
  });

  it('treats an empty file as a new one', () => {
    const file = path.join(home, '.cursor/mcp.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '\n');
    linux().writeConfig('cursor');
    assert.deepEqual(read(file), { mcpServers: { localpost: command } });
  });

  it('says so when the file cannot be written, leaving nothing behind', () => {
    // A file where the client's folder should be: no folder can be made there, whoever runs this.
    fs.writeFileSync(path.join(home, '.cursor'), 'not a folder');
    assert.throws(() => linux().writeConfig('cursor'), isCode('mcp_config_unwritable'));
    assert.equal(fs.readFileSync(path.join(home, '.cursor'), 'utf8'), 'not a folder');
    assert.deepEqual(fs.readdirSync(home), ['.cursor']);
  });

  it('says so when the file cannot be read, changing nothing', () => {
    // A folder where the file should be.
    fs.mkdirSync(path.join(home, '.cursor/mcp.json'), { recursive: true });
    assert.throws(() => linux().writeConfig('cursor'), isCode('mcp_config_unwritable'));
    assert.deepEqual(fs.readdirSync(path.join(home, '.cursor')), ['mcp.json']);
  });
});
