// The main-process end of the bridge, shared by the Electron shell and the test harness: it
// refuses untrusted senders, validates every argument against the contract at run time, calls
// the core and returns a Result. Errors cross as `{ code, message, action }` only.
import { z } from 'zod';
import { methods, type MethodName, type Methods, type MethodOutput, type Result } from '../../../src-preload/contract';
import { AppError, toBridgeError } from '../errors';
import type { Logger } from '../log/logger';

export type Handlers = {
  [M in MethodName]: (input: z.output<Methods[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

/** One bridge group's slice of the handlers (`'vault'`: every `vault.*` method), for a module that
 *  serves that group; `createCore` spreads the slices into one `Handlers`, which must be complete. */
export type HandlersFor<Group extends string> = Pick<Handlers, Extract<MethodName, `${Group}.${string}`>>;

export type Dispatch = (method: string, input: unknown, senderUrl: string | undefined) => Promise<Result<unknown>>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/**
 * Only the app's own pages may call the core (Electron security checklist 17). Compared as
 * parsed scheme and host (with port), never by string prefix: `app://localpost.evil.com` must
 * not pass. (`URL.origin` is "null" for a custom scheme such as app://, so it cannot be used.)
 */
export function isTrustedSender(senderUrl: string | undefined, appOrigin: string): boolean {
  if (!senderUrl) return false;
  try {
    const sender = new URL(senderUrl);
    const app = new URL(appOrigin);
    return sender.protocol === app.protocol && sender.host === app.host && sender.host !== '';
  } catch {
    return false;
  }
}

export function createDispatch(handlers: Handlers, options: { appOrigin: string; log: Logger }): Dispatch {
  return async function dispatch(method, input, senderUrl) {
    if (!isTrustedSender(senderUrl, options.appOrigin)) {
      options.log.warn('Refused a bridge call from an untrusted sender', { method, sender: senderUrl });
      return { ok: false, error: { code: 'untrusted_sender', message: 'This page may not talk to Localpost.' } };
    }
    return callMethod(handlers, method, input, options.log);
  };
}

/**
 * One contract method called for a caller already trusted (the app's page, or a local client that
 * showed its token): the input validated against the contract at run time, the handler called, its
 * output checked, and any failure turned into `{ code, message, action }`.
 */
export async function callMethod(handlers: Handlers, method: string, input: unknown, log: Logger): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'invalid_input', message: `Unknown method ${method}.` } };
  }
  const contract = methods[method];
  const parsed = contract.input.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid_input', message: describeIssues(parsed.error) } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => unknown;
    const value = contract.output.parse(await handler(parsed.data));
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof AppError)) log.error('Bridge call failed', { method, error });
    return { ok: false, error: toBridgeError(error) };
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
