// What the command prints: words for people by default; with --json, one envelope a script can
// rely on, `{ "ok": true, "data": … }` or `{ "ok": false, "error": { "code", "message", "action"?,
// "ruleIds"? } }`, on stdout, whatever happened.
import type { Readable, Writable } from 'node:stream';
import { exitCodeFor, exitCodes } from './exitCodes';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Everything on standard input (an app password piped in), or '' when it is a terminal. */
  readStdin(): Promise<string>;
  /** Starts the app without a window, where this command can (it runs inside the installed app);
   *  the command then waits for the app's door to open. */
  startApp?: () => void;
  /** The raw streams, for `localpost mcp`, which speaks a protocol on them. */
  streams?: { stdin: Readable; stdout: Writable };
}

/** A failure with its stable code, as the app's errors carry one. */
export class CliFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: { action?: string; ruleIds?: string[]; exitCode?: number } = {},
  ) {
    super(message);
  }
}

export class Reporter {
  constructor(
    private readonly io: CliIo,
    private readonly json: boolean,
  ) {}

  /** Prints what a command did and gives its exit code. */
  done(data: unknown, words: string, exitCode: number = exitCodes.ok): number {
    if (this.json) this.io.stdout(`${JSON.stringify({ ok: exitCode === exitCodes.ok, data })}\n`);
    else if (words) this.io.stdout(`${words}\n`);
    return exitCode;
  }

  /** Prints a failure and gives its exit code. */
  failed(error: unknown): number {
    const failure = asFailure(error);
    const { action, ruleIds } = failure.details;
    if (this.json) {
      const body = { code: failure.code, message: failure.message, ...(action ? { action } : {}), ...(ruleIds?.length ? { ruleIds } : {}) };
      this.io.stdout(`${JSON.stringify({ ok: false, error: body })}\n`);
    } else {
      this.io.stderr(`localpost: ${failure.message}${action ? `\n${action}` : ''}\n`);
    }
    return failure.details.exitCode ?? exitCodeFor(failure.code);
  }
}

function asFailure(error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    const { code, action } = error as Error & { code: string; action?: string };
    return new CliFailure(code, error.message, action ? { action } : {});
  }
  return new CliFailure('internal', error instanceof Error ? error.message : String(error));
}
