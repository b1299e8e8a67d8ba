// Every bridge error is shown the same way: what happened, what to do, and the stable code (which
// support and tests can match on), in a role="alert" so screen readers announce it.
import type { BridgeError } from '../bridge';
import { formatClockTime } from './formatTime';

export function ErrorAlert({ error, onDismiss }: { error: BridgeError; onDismiss?: () => void }) {
  return (
    <div role="alert" className="alert alert-error">
      <div className="alert-body">
        <p className="alert-message">{error.message}</p>
        {error.action && <p className="alert-action">{error.action}</p>}
        {error.retryAt !== undefined && <p className="alert-action">You can try again at {formatClockTime(error.retryAt)}.</p>}
        <code className="alert-code">{error.code}</code>
      </div>
      {onDismiss && (
        <button type="button" className="button button-ghost button-small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}

/** A list that could not be loaded: the error, and a way to ask again. */
export function LoadError({ error, onRetry }: { error: BridgeError; onRetry: () => void }) {
  return (
    <div className="stack">
      <ErrorAlert error={error} />
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
