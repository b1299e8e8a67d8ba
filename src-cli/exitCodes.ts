// The command's exit codes: stable, so a script can tell what happened without reading the words.
export const exitCodes = {
  ok: 0,
  /** Something unexpected: the message says what. */
  failed: 1,
  /** The command line itself is wrong: an unknown command or flag, a missing value. */
  usage: 2,
  /** No Localpost answers on this data folder (or its door is not the user's alone). */
  notRunning: 3,
  /** Preflight refused the post: the rule ids say why; the draft is kept. */
  preflightRefused: 4,
  /** The request waits for the user's approval in the app. */
  awaitingApproval: 5,
  /** A platform refused or failed the post (with --wait), or refused the sign-in. */
  platformError: 6,
} as const;

/** The exit code an error's stable code stands for. */
export function exitCodeFor(code: string): number {
  if (code === 'app_not_running' || code === 'endpoint_untrusted' || code === 'unauthorized') return exitCodes.notRunning;
  if (code === 'preflight_failed') return exitCodes.preflightRefused;
  if (code === 'invalid_input' || code === 'usage') return exitCodes.usage;
  if (code.startsWith('platform_') || code === 'rate_limited' || code === 'invalid_credentials' || code === 'network_unreachable') return exitCodes.platformError;
  return exitCodes.failed;
}
