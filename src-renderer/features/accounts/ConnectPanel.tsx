// The frame every webhook and bot connect form shares with the Bluesky one: the platform's mark and
// title, the fields, the error (message, action and code, in a role="alert"), Cancel and Connect.
// The forms own their fields' state, so an error never clears what was typed.
import type { FormEvent, HTMLAttributes, ReactNode } from 'react';
import type { BridgeError, Platform } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PlatformLogo, platformNames } from './platforms';

export function ConnectPanel({
  platform,
  titleId,
  reconnecting,
  intro,
  error,
  connecting,
  progress = 'Connecting…',
  onSubmit,
  onCancel,
  children,
}: {
  platform: Platform;
  titleId: string;
  reconnecting: boolean;
  intro: ReactNode;
  error: BridgeError | null;
  connecting: boolean;
  /** What the user waits for while connecting (Mastodon: the browser sign-in). */
  progress?: string;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <section className="card panel connect-form" aria-labelledby={titleId}>
      <header className="panel-header">
        <PlatformLogo platform={platform} />
        <div>
          <h2 id={titleId} className="panel-title">
            {reconnecting ? `Reconnect ${platformNames[platform]}` : `Connect ${platformNames[platform]}`}
          </h2>
          <p className="muted">{intro}</p>
        </div>
      </header>

      <form className="form" onSubmit={submit} noValidate>
        {children}

        {error && <ErrorAlert error={error} />}

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
      </form>
    </section>
  );
}

/**
 * One labelled input with its hints. A secret is a password input that nothing fills in or
 * remembers: it is typed (or pasted) once and never shown back.
 */
export function ConnectField({
  id,
  label,
  value,
  onChange,
  secret = false,
  placeholder,
  inputMode,
  maxLength,
  hints,
  warning,
  autoComplete = 'off',
  autoFocus = false,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  secret?: boolean;
  placeholder?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  maxLength?: number;
  hints: ReactNode[];
  /** A gentle note that the value looks wrong; Connect still tries. */
  warning?: string | null;
  /** Only for what the browser may help with (a username, a one-time code); never a secret. */
  autoComplete?: 'off' | 'username' | 'one-time-code';
  autoFocus?: boolean;
}) {
  const hintIds = hints.map((_, index) => `${id}-hint-${index}`);
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={secret ? 'input input-mono' : 'input'}
        type={secret ? 'password' : 'text'}
        value={value}
        placeholder={placeholder}
        inputMode={inputMode}
        maxLength={maxLength}
        autoComplete={secret ? 'off' : autoComplete}
        autoFocus={autoFocus}
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        aria-describedby={hintIds.join(' ') || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hints.map((hint, index) => (
        <p key={hintIds[index]} id={hintIds[index]} className="field-hint">
          {hint}
        </p>
      ))}
      {warning && (
        <p className="field-warning" aria-live="polite">
          {warning}
        </p>
      )}
    </div>
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
