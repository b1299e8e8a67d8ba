// The frame every connect form shares: the platform's mark and title, the fields, the error
// (message, action and code, in a role="alert"), Cancel and Connect. The forms own their fields'
// state, so an error never clears what was typed. A browser sign-in (Mastodon, X) also offers,
// while it waits, to finish with the address the browser landed on. An error that asks the user
// for a yes (connectConfirmation) shows as a question with Connect anyway and Cancel instead.
import type { FormEvent, ReactNode } from 'react';
import type { BridgeError, ConnectConfirmation, Platform } from '../../bridge';
import { confirmationAskedBy } from './connectConfirmation';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PasteSignInFallback } from './PasteSignInFallback';
import { PlatformLogo, platformNames } from './platforms';

export function ConnectPanel({
  platform,
  titleId,
  reconnecting,
  intro,
  error,
  errorAction,
  connecting,
  browserSignIn = false,
  httpsLanding = false,
  progress = browserSignIn ? 'Finish signing in in your browser…' : 'Connecting…',
  onSubmit,
  onCancel,
  onConfirm,
  onDismissQuestion,
  children,
}: {
  platform: Platform;
  titleId: string;
  reconnecting: boolean;
  intro: ReactNode;
  error: BridgeError | null;
  /** A way out of the error shown under it (X's missing developer app: a way to Settings). */
  errorAction?: ReactNode;
  connecting: boolean;
  /** The sign-in happens in the system browser: while it waits, the paste fallback is offered. */
  browserSignIn?: boolean;
  /** The browser lands on Localpost's https loopback address (a self-signed certificate): the paste
   *  form is offered up front, with what the browser will show. */
  httpsLanding?: boolean;
  /** What the user waits for while connecting. */
  progress?: string;
  onSubmit(): void;
  onCancel(): void;
  /** Connect anyway: sends the same input again with this confirmation. Without it, a question
   *  shows as a plain error. */
  onConfirm?(confirmation: ConnectConfirmation): void;
  /** Cancel on a question: back to the form, everything typed kept. */
  onDismissQuestion?(): void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  const asked = onConfirm && !connecting ? confirmationAskedBy(error) : null;
  return (
    <section className="card panel connect-form" aria-labelledby={titleId}>
      <ConnectPanelHeader platform={platform} titleId={titleId} reconnecting={reconnecting} intro={intro} />

      <form className="form" onSubmit={submit} noValidate>
        {children}

        {error && asked && (
          <div className="notice notice-warning connect-question" role="alert">
            <div>
              <p className="notice-title">{error.message}</p>
              {error.action && <p>{error.action}</p>}
            </div>
            <div className="form-actions">
              <button type="button" className="button" onClick={onDismissQuestion}>
                Cancel
              </button>
              <button type="button" className="button button-primary" onClick={() => onConfirm?.(asked)}>
                Connect anyway
              </button>
            </div>
          </div>
        )}
        {error && !asked && <ErrorAlert error={error} />}
        {error && !asked && errorAction && <div className="form-actions form-actions-start">{errorAction}</div>}

        {!asked && (
          <div className="form-actions">
            {connecting && (
              <span className="muted form-progress" role="status">
                {progress}
              </span>
            )}
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={connecting} aria-busy={connecting}>
              Connect
            </button>
          </div>
        )}
      </form>
      {browserSignIn && connecting && <PasteSignInFallback httpsLanding={httpsLanding} />}
    </section>
  );
}

/** The platform's mark, "Connect X" or "Reconnect X", and one line on how it works. */
export function ConnectPanelHeader({
  platform,
  titleId,
  reconnecting,
  intro,
}: {
  platform: Platform;
  titleId: string;
  reconnecting: boolean;
  intro: ReactNode;
}) {
  return (
    <header className="panel-header">
      <PlatformLogo platform={platform} />
      <div>
        <h2 id={titleId} className="panel-title">
          {reconnecting ? `Reconnect ${platformNames[platform]}` : `Connect ${platformNames[platform]}`}
        </h2>
        <p className="muted">{intro}</p>
      </div>
    </header>
  );
}

/** Runs a connect call with the form's busy and error state; on success hands the account on. */
export async function runConnect<T>(
  connect: () => Promise<{ ok: true; value: T } | { ok: false; error: BridgeError }>,
  state: { setConnecting(busy: boolean): void; setError(error: BridgeError | null): void; onConnected(value: T): void },
): Promise<void> {
  state.setConnecting(true);
  state.setError(null);
  const result = await connect();
  state.setConnecting(false);
  if (!result.ok) return state.setError(result.error);
  state.onConnected(result.value);
}
