// The field that stands between a person and an action that cannot be undone: they type a word
// before its button works, so neither a stray click nor a held Enter key can set it off. Focus
// lands here when the confirmation opens, not on the destructive button.
interface TypedConfirmationFieldProps {
  id: string;
  /** What must be typed, exactly (FORGET, DELETE). */
  word: string;
  value: string;
  onChange(value: string): void;
  disabled?: boolean;
  className?: string;
}

export function TypedConfirmationField({ id, word, value, onChange, disabled = false, className = 'field' }: TypedConfirmationFieldProps) {
  return (
    <div className={className}>
      <label htmlFor={id} className="field-label">
        Type {word} to confirm
      </label>
      <input
        id={id}
        className="input"
        autoFocus
        autoComplete="off"
        spellCheck={false}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
