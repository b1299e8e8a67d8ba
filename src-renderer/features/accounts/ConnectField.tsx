// One labelled input of a connect form, with its hints and a gentle warning.
import type { HTMLAttributes, ReactNode } from 'react';

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
