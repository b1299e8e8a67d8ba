// One error type with stable codes for the whole core. Whatever goes wrong, what crosses the
// bridge is `{ code, message, action? }`: never a stack, never a secret.
import type { BridgeError, ErrorCode } from '../../src-preload/contract';
import { redactText } from './log/redact';

/**
 * For a request that got no answer: whether it surely never left this computer (offline,
 * connection refused: safe to send again) or may have reached the platform (timeout, connection
 * reset: sending again could post twice).
 */
export type Delivery = 'not_sent' | 'maybe_sent';

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly action: string | undefined;
  readonly retryAt: number | undefined;
  readonly delivery: Delivery | undefined;
  /** The platform answered with a failure that may pass by itself (a 5xx): worth trying later. */
  readonly transient: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { action?: string; retryAt?: number; cause?: unknown; delivery?: Delivery; transient?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.action = options.action;
    this.retryAt = options.retryAt;
    this.delivery = options.delivery;
    this.transient = options.transient ?? false;
  }

  toBridge(): BridgeError {
    const error: BridgeError = { code: this.code, message: redactText(this.message) };
    if (this.action) error.action = redactText(this.action);
    if (this.retryAt !== undefined) error.retryAt = this.retryAt;
    return error;
  }
}

/** Anything thrown becomes a bridge error; unknown failures say so without their internals. */
export function toBridgeError(error: unknown): BridgeError {
  if (error instanceof AppError) return error.toBridge();
  return { code: 'internal', message: 'Something went wrong inside Localpost. Nothing was lost; try again.' };
}
