// `localpost …` in development (`npm run cli --`): the command line, run with the process's own
// streams. The installed app runs the same command from its own binary (src-main/shell/commandLine.ts).
import { runCli } from './cli';
import { processIo } from './processIo';

process.exitCode = await runCli(process.argv.slice(2), processIo());
