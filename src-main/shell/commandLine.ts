// The installed app is also the `localpost` command: its launcher (resources/bin/localpost) runs
// the app's own binary with `--localpost-cli` and the command's arguments. Electron's fuses keep
// the binary from running as plain Node, so the command runs here, in the main process, before
// the single-instance lock and before any window: it takes no lock, opens no window and no data
// folder, and only talks to the running app through its local endpoint, as any client does. When
// no app runs, it starts one without a window (`--localpost-hidden`) and waits for it.
//
// Runtime: main (shell).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { app } from 'electron';

const commandLineSwitch = '--localpost-cli';
/** The app started for a command: no window until the user opens one. */
export const hiddenStartSwitch = '--localpost-hidden';

/** The command's arguments when this start is the `localpost` command; null for the app itself. */
export function commandLineArguments(argv: readonly string[]): string[] | null {
  const at = argv.indexOf(commandLineSwitch);
  return at === -1 ? null : argv.slice(at + 1);
}

/** Runs the command with this process's streams, then exits with its code. */
export async function runCommandLineAndExit(args: string[]): Promise<void> {
  // Loaded for the command only: its parser and the MCP SDK (tens of megabytes) have no place in
  // the app's own process.
  const [{ runCli }, { processIo }] = await Promise.all([import('../../src-cli/cli'), import('../../src-cli/processIo')]);
  const code = await runCli(args, {
    ...processIo(),
    // Only an installed app starts itself: a development build has no launcher to start.
    ...(app.isPackaged
      ? { startApp: () => spawn(process.execPath, [hiddenStartSwitch], { detached: true, stdio: 'ignore' }).unref() }
      : {}),
  }).catch((error: unknown) => {
    process.stderr.write(`localpost: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
  app.exit(code);
}

/**
 * What starts `localpost mcp` on this install, for the assistants' configuration: the launcher an
 * installer ships (resources/bin), or in a development build the source through tsx.
 */
export function localpostMcpCommand(): { command: string; args: string[] } {
  if (app.isPackaged) {
    // The app's code is resources/app.asar; the launchers are beside it, in resources/bin.
    const resources = path.dirname(app.getAppPath());
    return { command: path.join(resources, 'bin', process.platform === 'win32' ? 'localpost.cmd' : 'localpost'), args: ['mcp'] };
  }
  return { command: 'npx', args: ['tsx', path.join(app.getAppPath(), 'src-cli', 'main.ts'), 'mcp'] };
}
