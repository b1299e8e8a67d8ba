// A status shown by its stable name (`connected`, `needs_reauth`, `published`, a post's phase
// `scheduled`, ...) so what the user sees matches what the logs and support say; the colour
// carries the tone.
const tones: Record<string, 'good' | 'warn' | 'bad' | 'neutral'> = {
  connected: 'good',
  published: 'good',
  needs_reauth: 'warn',
  expired: 'warn',
  revoked: 'warn',
  error: 'bad',
  failed_retryable: 'bad',
  failed_permanent: 'bad',
  unknown: 'warn',
  queued: 'neutral',
  publishing: 'neutral',
  cancelled: 'neutral',
  // A post's phase in the outbox.
  scheduled: 'neutral',
  sending: 'neutral',
  missed: 'warn',
  needs_attention: 'warn',
  done: 'good',
};

export function StatusBadge({ status, id }: { status: string; id?: string }) {
  return (
    <span id={id} className="badge" data-tone={tones[status] ?? 'neutral'}>
      {status}
    </span>
  );
}
