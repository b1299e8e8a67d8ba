// `localpost mcp`: an MCP server over stdio (modelcontextprotocol.io/specification/2025-06-18/
// basic/transports#stdio) for an AI assistant the user runs, as a thin client of the running app.
// Standard output carries the protocol and nothing else: anything else written there would break
// the client's reading, so every word for people goes to standard error.
import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AppSession, type AppSessionOptions } from './appSession';
import { registerLocalpostTools } from './tools';

export interface McpServerOptions {
  connect: AppSessionOptions['connect'];
  /** How the server names the app it serves, in its first words on stderr (the data folder). */
  appName: string;
  version: string;
  stdin: Readable;
  stdout: Writable;
  /** Where the server's own words go: the client shows them as the server's log. */
  stderr(text: string): void;
}

/** Serves one MCP client until it closes standard input. */
export async function runMcpServer(options: McpServerOptions): Promise<void> {
  const server = new McpServer(
    { name: 'localpost', version: options.version },
    {
      instructions:
        'Localpost posts to the user’s social accounts from their computer. You may read accounts and drafts and write drafts freely; publishing or scheduling only ever asks the user, who approves or rejects each post in the Localpost app. The app must be running.',
    },
  );
  const app = new AppSession({ connect: options.connect, clientInfo: () => server.server.getClientVersion() });
  registerLocalpostTools(server, app);

  const transport = new StdioServerTransport(options.stdin, options.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  server.server.onerror = (error) => options.stderr(`localpost mcp: ${error.message}\n`);
  // The client ends the server by closing its standard input (the stdio transport's shutdown).
  const end = () => void server.close();
  options.stdin.once('end', end);
  options.stdin.once('close', end);

  await server.connect(transport);
  options.stderr(`localpost mcp: serving on stdio for ${options.appName}\n`);
  await closed;
  app.close();
}
